#include "base/private_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/random_id.hpp"

namespace kfrun::base {

namespace {

Error io_error(const std::string& where, std::string_view operation, int error_number = errno) {
    if (error_number == ELOOP) {
        return make_error(ErrorKind::Io,
                          "is a symbolic link: kfrun does not write through links (remove it, or "
                          "choose another folder)",
                          where);
    }
    return make_error(ErrorKind::Io,
                      std::string(operation) + " failed: " + std::strerror(error_number), where);
}

Error link_error(const std::string& where) {
    return io_error(where, "", ELOOP);
}

bool valid_name(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

// `dir` exists as a directory, or is created 0700 (with its parents). `last`: `dir` itself
// must not be a link.
Result<void> ensure_directory(const std::filesystem::path& dir, bool last) {
    struct stat info {};
    if ((last ? ::lstat(dir.c_str(), &info) : ::stat(dir.c_str(), &info)) == 0) {
        if (S_ISLNK(info.st_mode)) {
            return link_error(dir.string());
        }
        if (!S_ISDIR(info.st_mode)) {
            return make_error(ErrorKind::Io, "exists and is not a directory", dir.string());
        }
        return ok();
    }
    if (errno != ENOENT) {
        return io_error(dir.string(), "stat");
    }
    if (dir.has_parent_path() && dir.parent_path() != dir) {
        KFRUN_TRY(ensure_directory(dir.parent_path(), false));
    }
    if (::mkdir(dir.c_str(), k_private_directory_mode) != 0) {
        if (errno == EEXIST) {
            return ensure_directory(dir, last);  // made meanwhile: check what it is
        }
        return io_error(dir.string(), "mkdir");
    }
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid() || ::fchmod(fd.get(), k_private_directory_mode) != 0) {
        return io_error(dir.string(), "chmod");
    }
    return ok();
}

}  // namespace

Result<void> create_private_directories(const std::filesystem::path& dir) {
    std::filesystem::path path = dir.lexically_normal();
    if (path.has_relative_path() && !path.has_filename()) {
        path = path.parent_path();  // "a/b/" → "a/b"
    }
    return ensure_directory(path, true);
}

Result<UniqueFd> open_private_directory(const std::filesystem::path& dir) {
    KFRUN_TRY(create_private_directories(dir));
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd.valid()) {
        return io_error(dir.string(), "open");
    }
    return fd;
}

Result<UniqueFd> open_subdirectory(int parent_fd, const std::string& name,
                                   const std::string& where) {
    if (!valid_name(name)) {
        return make_error(ErrorKind::Io, "invalid folder name", where);
    }
    const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
    UniqueFd fd(::openat(parent_fd, name.c_str(), flags));
    if (!fd.valid() && errno == ENOENT) {
        if (::mkdirat(parent_fd, name.c_str(), k_private_directory_mode) != 0 && errno != EEXIST) {
            return io_error(where, "mkdir");
        }
        fd = UniqueFd(::openat(parent_fd, name.c_str(), flags));
        if (fd.valid()) {
            ::fchmod(fd.get(), k_private_directory_mode);
        }
    }
    if (!fd.valid()) {
        const int saved = errno;
        struct stat info {};
        if (::fstatat(parent_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(info.st_mode)) {
            return link_error(where);  // O_DIRECTORY reports a link as ENOTDIR
        }
        return io_error(where, saved == ENOTDIR ? "open (not a directory)" : "open", saved);
    }
    return fd;
}

std::string random_temp_name(std::string_view name) {
    return "." + std::string(name) + ".tmp-" + random_suffix(12);
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

Result<void> write_file_at(int dir_fd, const std::string& name, std::string_view content,
                           unsigned mode, const std::string& where) {
    if (!valid_name(name)) {
        return make_error(ErrorKind::Io, "invalid file name", where);
    }
    const std::string temp = random_temp_name(name);
    UniqueFd fd(::openat(dir_fd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         k_private_file_mode));
    if (!fd.valid()) {
        return io_error(where, "create");
    }
    bool written = write_all(fd.get(), content) && ::fchmod(fd.get(), mode) == 0;
    int saved = errno;
    if (fd.close() != 0 && written) {
        written = false;
        saved = errno;
    }
    if (!written) {
        ::unlinkat(dir_fd, temp.c_str(), 0);
        return io_error(where, "write", saved);
    }
    if (::renameat(dir_fd, temp.c_str(), dir_fd, name.c_str()) != 0) {
        saved = errno;
        ::unlinkat(dir_fd, temp.c_str(), 0);
        return io_error(where, "rename into place", saved);
    }
    return ok();
}

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   unsigned mode) {
    auto dir = open_private_directory(path.has_parent_path() ? path.parent_path() : ".");
    KFRUN_TRY(dir);
    return write_file_at(dir->get(), path.filename().string(), content, mode, path.string());
}

Result<UniqueFd> open_append_at(int dir_fd, const std::string& name, const std::string& where) {
    if (!valid_name(name)) {
        return make_error(ErrorKind::Io, "invalid file name", where);
    }
    // O_NONBLOCK: a fifo placed there must not hang the run (it is refused below).
    UniqueFd fd(::openat(dir_fd, name.c_str(),
                         O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                         k_private_file_mode));
    if (!fd.valid()) {
        return io_error(where, "open");
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return io_error(where, "fstat");
    }
    if (!S_ISREG(info.st_mode)) {
        return make_error(ErrorKind::Io, "is not a regular file: kfrun does not write into it",
                          where);
    }
    if (info.st_nlink > 1) {
        return make_error(ErrorKind::Io,
                          "has other hard links: kfrun does not write into a file shared with "
                          "another place",
                          where);
    }
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags >= 0) {
        ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
    }
    return fd;
}

Result<UniqueFd> open_for_append(const std::filesystem::path& path) {
    auto dir = open_private_directory(path.has_parent_path() ? path.parent_path() : ".");
    KFRUN_TRY(dir);
    return open_append_at(dir->get(), path.filename().string(), path.string());
}

Result<void> remove_tree_at(int dir_fd, const std::string& name, const std::string& where) {
    struct stat info {};
    if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        return errno == ENOENT ? ok() : io_error(where, "stat");
    }
    if (!S_ISDIR(info.st_mode)) {
        if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
            return io_error(where, "unlink");
        }
        return ok();
    }
    int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return io_error(where, "open");
    }
    ::fchmod(fd, k_private_directory_mode);  // a 0555 folder of a step's still empties
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        ::close(fd);
        return io_error(where, "fdopendir");
    }
    Result<void> result = ok();
    while (dirent* entry = ::readdir(dir)) {
        const std::string child = entry->d_name;
        if (child == "." || child == "..") {
            continue;
        }
        result = remove_tree_at(::dirfd(dir), child, where + "/" + child);
        if (!result) {
            break;
        }
    }
    ::closedir(dir);
    KFRUN_TRY(result);
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
        return io_error(where, "rmdir");
    }
    return ok();
}

void tighten_directory(const std::filesystem::path& dir) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat info {};
    if (!fd.valid() || ::fstat(fd.get(), &info) != 0 || info.st_uid != ::geteuid()) {
        return;
    }
    if ((info.st_mode & 077) != 0) {
        ::fchmod(fd.get(), info.st_mode & 07700);
    }
}

}  // namespace kfrun::base
