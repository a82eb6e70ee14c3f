#include "docker/sub_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/strings.hpp"
#include "docker/docker_client.hpp"
#include "docker/sub_path_staging.hpp"

namespace kfrun::docker {
namespace {

using engine::VolumeMount;

std::string errno_text(int error) {
    return std::strerror(error);
}

base::Error input_error(std::string message) {
    return base::make_error(base::ErrorKind::Input, std::move(message));
}

}  // namespace

base::Result<std::string> normalize_sub_path(std::string_view sub_path) {
    if (!sub_path.empty() && sub_path.front() == '/') {
        return input_error("the sub-path \"" + std::string(sub_path) +
                           "\" must be relative to the volume");
    }
    std::vector<std::string> parts;
    for (const auto& part : base::split(sub_path, '/')) {
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == "..") {
            return input_error("the sub-path \"" + std::string(sub_path) +
                               "\" must not contain \"..\"");
        }
        parts.push_back(part);
    }
    return base::join(parts, "/");
}

base::Result<SubPathTarget> make_sub_path(const std::filesystem::path& base,
                                          const std::string& relative, bool create_missing) {
    SubPathTarget target;
    target.fd.reset(::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!target.fd.valid()) {
        return base::make_error(base::ErrorKind::Io,
                                "cannot open " + base.string() + ": " + errno_text(errno));
    }
    target.path = base;
    const auto parts = base::split(relative, '/');
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (part.empty()) {
            continue;
        }
        const int dir = target.fd.get();
        target.path /= part;
        const std::string made = target.path.string();
        struct stat info {};
        if (::fstatat(dir, part.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno != ENOENT) {
                return base::make_error(base::ErrorKind::Io,
                                        "cannot stat " + made + ": " + errno_text(errno));
            }
            if (!create_missing) {
                return input_error(made +
                                   " does not exist, and the mount is read-only: kfrun makes a "
                                   "missing sub-path only where the step may write");
            }
            if (::mkdirat(dir, part.c_str(), 0755) != 0 && errno != EEXIST) {
                return base::make_error(base::ErrorKind::Io,
                                        "cannot create " + made + ": " + errno_text(errno));
            }
        } else if (S_ISLNK(info.st_mode)) {
            return input_error(made +
                               " is a symbolic link; a sub-path is never followed through links "
                               "(they could lead out of the volume)");
        } else if (S_ISREG(info.st_mode) && i + 1 == parts.size()) {
            // A single file, as Kubernetes mounts a ConfigMap key. O_PATH|O_NOFOLLOW opens a
            // link swapped in since the fstatat as the link itself: fstat tells.
            UniqueFd file(::openat(dir, part.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
            if (!file.valid() || ::fstat(file.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
                return input_error(made +
                                   " changed while it was checked (a symbolic link or "
                                   "another kind of file took its place)");
            }
            target.fd = std::move(file);
            target.is_file = true;
            return target;
        }
        // O_NOFOLLOW: a link that took the directory's place since the check is refused here,
        // and the descriptor kept from now on is what the next part is looked up in.
        UniqueFd next(::openat(dir, part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            const int error = errno;
            if (error == ELOOP) {
                return input_error(made + " is a symbolic link");
            }
            if (error == ENOTDIR) {
                return input_error(made + " exists and is not a directory");
            }
            return base::make_error(base::ErrorKind::Io,
                                    "cannot open " + made + ": " + errno_text(error));
        }
        target.fd = std::move(next);
    }
    return target;
}

base::Result<std::vector<VolumeMount>> resolve_sub_paths(const DockerClient& client,
                                                         std::vector<VolumeMount> mounts,
                                                         const std::string& where,
                                                         SubPathStaging& staging) {
    for (auto& mount : mounts) {
        if (mount.type == VolumeMount::Type::Tmpfs) {
            continue;
        }
        const std::string at = where + ", mount at " + mount.container_path;
        auto relative = normalize_sub_path(mount.sub_path);
        if (!relative.ok()) {
            return base::make_error(relative.error().kind, relative.error().message, at);
        }
        mount.sub_path.clear();
        if (relative->empty()) {
            continue;  // the whole volume or directory
        }
        if (mount.type == VolumeMount::Type::Bind) {
            if (!std::filesystem::path(mount.source).is_absolute()) {
                continue;  // make_create_body explains it
            }
            auto made = make_sub_path(mount.source, *relative, !mount.read_only);
            if (!made.ok()) {
                return base::make_error(made.error().kind, made.error().message, at);
            }
            auto staged = staging.stage(*made);
            if (!staged.ok()) {
                return base::make_error(staged.error().kind, staged.error().message, at);
            }
            mount.source = staged->string();
            continue;
        }
        auto volume = client.inspect_volume(mount.source);
        if (volume.ok() && !volume->has_value()) {
            KFRUN_TRY(client.create_volume(mount.source, mount.labels));
            volume = client.inspect_volume(mount.source);
        }
        if (!volume.ok()) {
            return volume.error();
        }
        if (!volume->has_value()) {
            return base::make_error(base::ErrorKind::Docker,
                                    "volume " + mount.source + " vanished right after its creation",
                                    at);
        }
        const std::filesystem::path mountpoint = (*volume)->mountpoint;
        std::error_code error;
        if (mountpoint.empty() || !std::filesystem::is_directory(mountpoint, error)) {
            return base::make_error(
                base::ErrorKind::Docker,
                "cannot mount the sub-path \"" + *relative + "\" of volume " + mount.source +
                    ": its data directory " +
                    (mountpoint.empty()
                         ? std::string("is unknown (driver ") + (*volume)->driver + ")"
                         : mountpoint.string() + " is not accessible from kfrun (" +
                               (error ? error.message() : "not a directory") + ")") +
                    ". Docker API 1.41 has no volume sub-path mounts, so kfrun makes the "
                    "sub-directory itself: sub-paths need kfrun on the Docker daemon's host, "
                    "with access to its volume directories (e.g. as root)",
                at);
        }
        auto made = make_sub_path(mountpoint, *relative);
        if (!made.ok()) {
            return base::make_error(made.error().kind,
                                    "volume " + mount.source + ": " + made.error().message, at);
        }
        auto staged = staging.stage(*made);
        if (!staged.ok()) {
            return base::make_error(staged.error().kind,
                                    "volume " + mount.source + ": " + staged.error().message, at);
        }
        mount.type = VolumeMount::Type::Bind;
        mount.source = staged->string();
        mount.labels.clear();
    }
    return mounts;
}

}  // namespace kfrun::docker
