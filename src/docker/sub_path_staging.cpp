#include "docker/sub_path_staging.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <system_error>

namespace kfrun::docker {
namespace {

std::string errno_text(int error) {
    return std::strerror(error);
}

base::Error io_error(std::string message) {
    return base::make_error(base::ErrorKind::Io, std::move(message));
}

}  // namespace

SubPathStaging::SubPathStaging(std::filesystem::path base, std::string name)
    : m_base(std::move(base)), m_name(std::move(name)) {}

SubPathStaging::~SubPathStaging() {
    release();
}

base::Result<void> SubPathStaging::make_folder() {
    if (m_base.empty() || !m_base.is_absolute()) {
        return base::make_error(base::ErrorKind::Internal,
                                "the sub-path staging folder must be an absolute path, not \"" +
                                    m_base.string() + "\"");
    }
    std::error_code error;
    std::filesystem::create_directories(m_base, error);
    struct stat info {};
    if (error || ::lstat(m_base.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
        return io_error("cannot make the sub-path staging folder " + m_base.string() + ": " +
                        (error ? error.message() : std::string("not a directory")));
    }
    if (info.st_uid != ::geteuid() || (info.st_mode & 0077) != 0) {
        // Only kfrun's user may see what is mounted there.
        if (info.st_uid != ::geteuid() || ::chmod(m_base.c_str(), 0700) != 0) {
            return io_error("the sub-path staging folder " + m_base.string() +
                            " must belong to kfrun's user and be private (mode 0700)");
        }
    }
    std::string name = (m_base / (m_name + "-XXXXXX")).string();
    if (::mkdtemp(name.data()) == nullptr) {
        return io_error("cannot make a folder in " + m_base.string() + ": " + errno_text(errno));
    }
    m_folder = name;
    return {};
}

base::Result<std::filesystem::path> SubPathStaging::stage(const SubPathTarget& target) {
    if (m_folder.empty()) {
        KFRUN_TRY(make_folder());
    }
    const auto staged = m_folder / std::to_string(m_targets.size());
    if (target.is_file) {
        const int made =
            ::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (made < 0) {
            return io_error("cannot create " + staged.string() + ": " + errno_text(errno));
        }
        ::close(made);
    } else if (::mkdir(staged.c_str(), 0700) != 0) {
        return io_error("cannot create " + staged.string() + ": " + errno_text(errno));
    }
    m_targets.push_back(staged);
    const std::string source = "/proc/self/fd/" + std::to_string(target.fd.get());
    const unsigned long flags = MS_BIND | (target.recursive ? MS_REC : 0UL);
    if (::mount(source.c_str(), staged.c_str(), nullptr, flags, nullptr) != 0) {
        const int error = errno;
        if (error == ENOENT) {  // the checked object was deleted since (the kernel refuses it)
            return base::make_error(base::ErrorKind::Input,
                                    "the sub-path " + target.path.string() +
                                        " was removed while kfrun was mounting it");
        }
        return io_error("cannot bind-mount the sub-path " + target.path.string() + " onto " +
                        staged.string() + ": " + errno_text(error) +
                        ". kfrun mounts each checked sub-path itself, so that a symbolic link "
                        "swapped in afterwards cannot redirect it: sub-paths need kfrun as root "
                        "(CAP_SYS_ADMIN) in the Docker daemon's mount namespace");
    }
    struct stat checked {};
    struct stat mounted {};
    if (::fstat(target.fd.get(), &checked) != 0 || ::lstat(staged.c_str(), &mounted) != 0 ||
        checked.st_dev != mounted.st_dev || checked.st_ino != mounted.st_ino) {
        return io_error("the bind mount of the sub-path " + target.path.string() + " at " +
                        staged.string() + " does not show what was checked");
    }
    return staged;
}

namespace {

// Unmounts (lazily) and removes the staged targets, then their folder: rmdir/unlink only.
void unstage(const std::vector<std::filesystem::path>& targets, const std::filesystem::path& folder,
             std::vector<std::string>& problems) {
    bool all_gone = true;
    for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
        const auto& staged = *it;
        // EINVAL: not a mount point (its mount failed); ENOENT: already gone.
        if (::umount2(staged.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) != 0 && errno != EINVAL &&
            errno != ENOENT) {
            problems.push_back("cannot unmount " + staged.string() + ": " + errno_text(errno));
            all_gone = false;
            continue;  // never remove what may still show the volume
        }
        if (::rmdir(staged.c_str()) != 0 && errno != ENOENT &&
            (errno != ENOTDIR || ::unlink(staged.c_str()) != 0)) {
            problems.push_back("cannot remove " + staged.string() + ": " + errno_text(errno));
            all_gone = false;
        }
    }
    if (!folder.empty() && all_gone) {
        if (::rmdir(folder.c_str()) != 0 && errno != ENOENT) {
            problems.push_back("cannot remove " + folder.string() + ": " + errno_text(errno));
        }
    }
}

}  // namespace

std::vector<std::string> SubPathStaging::release() {
    std::vector<std::string> problems;
    unstage(m_targets, m_folder, problems);
    m_targets.clear();
    m_folder.clear();
    return problems;
}

std::vector<std::string> SubPathStaging::release_leftovers(const std::filesystem::path& base,
                                                           const std::string& name_prefix) {
    namespace fs = std::filesystem;
    std::vector<std::string> problems;
    std::error_code error;
    fs::directory_iterator entry(base, error);
    if (name_prefix.empty() || error) {
        // Missing: nothing was ever staged. Not ours to read (kfrun not root, root's folder):
        // this user's runs could not stage anything there either.
        if (error && error != std::errc::no_such_file_or_directory &&
            error != std::errc::permission_denied && error != std::errc::operation_not_permitted) {
            problems.push_back("cannot list " + base.string() + ": " + error.message());
        }
        return problems;
    }
    for (fs::directory_iterator end; !error && entry != end; entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        std::error_code type_error;
        // A folder of ours is a real directory (never followed through a link).
        if (name.rfind(name_prefix, 0) != 0 ||
            entry->symlink_status(type_error).type() != fs::file_type::directory) {
            continue;
        }
        std::vector<std::pair<std::size_t, fs::path>> targets;  // in staging order
        std::error_code inner;
        for (fs::directory_iterator staged(entry->path(), inner), end; !inner && staged != end;
             staged.increment(inner)) {
            const std::string index = staged->path().filename().string();
            targets.emplace_back(std::strtoull(index.c_str(), nullptr, 10), staged->path());
        }
        if (inner && inner != std::errc::no_such_file_or_directory) {
            problems.push_back("cannot list " + entry->path().string() + ": " + inner.message());
            continue;
        }
        std::sort(targets.begin(), targets.end());
        std::vector<fs::path> paths;
        for (auto& [index, path] : targets) {
            paths.push_back(std::move(path));
        }
        unstage(paths, entry->path(), problems);
    }
    if (error) {
        problems.push_back("cannot list " + base.string() + ": " + error.message());
    }
    return problems;
}

std::string shell_staging_prefix() {
    return "kfrun-shell-" + std::to_string(::getpid()) + "-";
}

std::vector<std::string> SubPathStaging::release_dead_shells(const std::filesystem::path& base) {
    namespace fs = std::filesystem;
    const std::string prefix = "kfrun-shell-";
    std::set<std::string> dead;
    std::error_code error;
    for (fs::directory_iterator entry(base, error), end; !error && entry != end;
         entry.increment(error)) {
        const std::string name = entry->path().filename().string();
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::size_t digits = name.find('-', prefix.size());
        const std::string pid = name.substr(prefix.size(), digits - prefix.size());
        if (digits == std::string::npos || pid.empty() || pid.size() > 9 ||
            pid.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        if (::kill(static_cast<pid_t>(std::stol(pid)), 0) != 0 && errno == ESRCH) {
            dead.insert(prefix + pid + "-");
        }
    }
    std::vector<std::string> problems;
    for (const std::string& shell : dead) {
        auto released = release_leftovers(base, shell);
        problems.insert(problems.end(), released.begin(), released.end());
    }
    return problems;
}

}  // namespace kfrun::docker
