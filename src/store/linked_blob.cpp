#include "store/linked_blob.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "base/sha256.hpp"
#include "store/store_error.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {
namespace {

// O_TMPFILE is refused with EOPNOTSUPP by filesystems without it, EISDIR by old kernels.
bool no_unnamed_files(int error_number) {
    return error_number == EOPNOTSUPP || error_number == EISDIR || error_number == EINVAL;
}

base::Result<void> write_all(int fd, std::string_view bytes, const std::string& where) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error(where, "write");
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
    }
    return base::ok();
}

}  // namespace

base::Result<std::optional<std::string>> publish_linked_blob(const BlobLayout& layout,
                                                             std::string_view bytes) {
    base::Sha256 hash;
    hash.update(bytes.data(), bytes.size());
    std::string digest = hash.hex_digest();
    const std::string final_path = layout.blob_path(digest).string();
    struct stat present {};
    if (::stat(final_path.c_str(), &present) == 0 && S_ISREG(present.st_mode) &&
        static_cast<std::uint64_t>(present.st_size) == bytes.size()) {
        return std::optional(std::move(digest));  // a short blob (power loss) is written again
    }
    const std::string shard = layout.shard_dir(digest).string();
    UniqueFd fd(::open(shard.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444));
    if (!fd.valid() && errno == ENOENT) {
        if (::mkdir(shard.c_str(), 0755) != 0 && errno != EEXIST) {
            return io_error(shard, "mkdir");
        }
        fd = UniqueFd(::open(shard.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0444));
    }
    if (!fd.valid()) {
        if (no_unnamed_files(errno)) {
            return std::optional<std::string>();
        }
        return io_error(shard, "open(O_TMPFILE)");
    }
    KFRUN_TRY(write_all(fd.get(), bytes, final_path));
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd.get());
    // AT_EMPTY_PATH links the descriptor itself but needs CAP_DAC_READ_SEARCH (root has it);
    // the /proc/self/fd link works for everyone.
    int linked = ::linkat(fd.get(), "", AT_FDCWD, final_path.c_str(), AT_EMPTY_PATH);
    if (linked != 0 && (errno == EPERM || errno == ENOENT)) {
        linked = ::linkat(AT_FDCWD, self, AT_FDCWD, final_path.c_str(), AT_SYMLINK_FOLLOW);
    }
    if (linked != 0) {
        if (errno == EEXIST) {
            // Another writer published it meanwhile, or a short blob is there: replace it with a
            // complete one through a named temp file in the shard.
            if (::stat(final_path.c_str(), &present) == 0 &&
                static_cast<std::uint64_t>(present.st_size) == bytes.size()) {
                return std::optional(std::move(digest));
            }
            const std::string temp = final_path + ".repair-" + std::to_string(::getpid());
            if (::linkat(AT_FDCWD, self, AT_FDCWD, temp.c_str(), AT_SYMLINK_FOLLOW) != 0 ||
                std::rename(temp.c_str(), final_path.c_str()) != 0) {
                ::unlink(temp.c_str());
                return io_error(final_path, "replace");
            }
            return std::optional(std::move(digest));
        }
        if (errno == ENOENT || errno == EPERM || errno == EACCES) {
            return std::optional<std::string>();  // no /proc: stage it the usual way
        }
        return io_error(final_path, "linkat");
    }
    return std::optional(std::move(digest));
}

}  // namespace kfrun::store
