#include "store/blob_copy.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/file_copy.hpp"
#include "store/store_error.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

std::string damaged_blob_message(std::string_view digest) {
    return "stored blob sha256:" + std::string(digest) +
           " is damaged (its bytes no longer match their digest); it was removed from the "
           "store, so the step that made it runs again on the next run";
}

void discard_blob(const BlobLayout& layout, std::string_view digest, int fd) {
    const std::string path = layout.blob_path(digest).string();
    struct stat opened {};
    struct stat named {};
    if (::fstat(fd, &opened) == 0 && ::lstat(path.c_str(), &named) == 0 &&
        opened.st_dev == named.st_dev && opened.st_ino == named.st_ino) {
        ::unlink(path.c_str());
    }
}

base::Result<void> copy_blob(const BlobLayout& layout, std::string_view digest, std::uint64_t size,
                             int out, const std::string& where) {
    if (!BlobLayout::is_valid_digest(digest)) {
        return store_error(where, "invalid digest");
    }
    const std::string blob = layout.blob_path(digest).string();
    UniqueFd in(::open(blob.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!in.valid()) {
        return io_error(blob, "open blob");
    }
    auto check = copy_verified(in.get(), out, size, digest, where);
    KFRUN_TRY(check);
    if (*check == BlobCheck::Damaged) {
        discard_blob(layout, digest, in.get());
        return store_error(blob, damaged_blob_message(digest));
    }
    return base::ok();
}

}  // namespace kfrun::store
