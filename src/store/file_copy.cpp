#include "store/file_copy.hpp"

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "base/sha256.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

constexpr std::size_t k_chunk = 1 << 30;
constexpr std::size_t k_buffer_size = 1 << 20;

// Errors after which another copy method may still work.
bool unsupported(int error_number) {
    return error_number == EXDEV || error_number == ENOSYS || error_number == EINVAL ||
           error_number == EOPNOTSUPP || error_number == EBADF;
}

base::Error short_source(const std::string& where) {
    return store_error(where, "blob is shorter than recorded");
}

// Writes all of data[0, count) to out, retrying short writes and EINTR.
base::Result<void> write_all(int out, const char* data, ssize_t count, const std::string& where) {
    for (ssize_t done = 0; done < count;) {
        ssize_t written = ::write(out, data + done, count - done);
        if (written < 0 && errno == EINTR) {
            continue;
        }
        if (written < 0) {
            return io_error(where, "write");
        }
        done += written;
    }
    return base::ok();
}

base::Result<void> copy_with_read_write(int in, int out, std::uint64_t& remaining,
                                        const std::string& where) {
    std::vector<char> buffer(k_buffer_size);
    while (remaining > 0) {
        std::size_t want = remaining < buffer.size() ? remaining : buffer.size();
        ssize_t count = ::read(in, buffer.data(), want);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            return io_error(where, "read");
        }
        if (count == 0) {
            return short_source(where);
        }
        KFRUN_TRY(write_all(out, buffer.data(), count, where));
        remaining -= static_cast<std::uint64_t>(count);
    }
    return base::ok();
}

}  // namespace

base::Result<void> copy_file_contents(int in, int out, std::uint64_t size,
                                      const std::string& where) {
    std::uint64_t remaining = size;
    bool use_copy_file_range = true;
    bool use_sendfile = true;
    while (remaining > 0 && (use_copy_file_range || use_sendfile)) {
        std::size_t want = remaining < k_chunk ? remaining : k_chunk;
        ssize_t count = use_copy_file_range ? ::copy_file_range(in, nullptr, out, nullptr, want, 0)
                                            : ::sendfile(out, in, nullptr, want);
        if (count < 0) {
            if (errno == EINTR) {
                continue;
            }
            // Nothing was copied by this call, so the file offsets are unchanged.
            if (unsupported(errno)) {
                (use_copy_file_range ? use_copy_file_range : use_sendfile) = false;
                continue;
            }
            return io_error(where, use_copy_file_range ? "copy_file_range" : "sendfile");
        }
        if (count == 0) {
            return short_source(where);
        }
        remaining -= static_cast<std::uint64_t>(count);
    }
    if (remaining == 0) {
        return base::ok();  // without the 1 MiB buffer: materializing 10,000 files zeroed 10 GiB
    }
    return copy_with_read_write(in, out, remaining, where);
}

base::Result<BlobCheck> check_blob(int fd, std::uint64_t size, std::string_view digest,
                                   const std::string& where) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        return io_error(where, "fstat");
    }
    if (static_cast<std::uint64_t>(info.st_size) != size) {
        return BlobCheck::Damaged;
    }
    base::Sha256 hash;
    std::vector<char> buffer(k_buffer_size);
    std::uint64_t total = 0;
    while (true) {
        ssize_t count = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(total));
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            return io_error(where, "read");
        }
        if (count == 0) {
            break;
        }
        hash.update(buffer.data(), static_cast<std::size_t>(count));
        total += static_cast<std::uint64_t>(count);
    }
    return total == size && hash.hex_digest() == digest ? BlobCheck::Intact : BlobCheck::Damaged;
}

base::Result<BlobCheck> copy_verified(int in, int out, std::uint64_t size, std::string_view digest,
                                      const std::string& where) {
    struct stat info {};
    if (::fstat(in, &info) != 0) {
        return io_error(where, "fstat");
    }
    if (static_cast<std::uint64_t>(info.st_size) != size) {
        return BlobCheck::Damaged;
    }
    if (size > 0 && ::ioctl(out, FICLONE, in) == 0) {
        return check_blob(in, size, digest, where);  // the clone shares the bytes it checks
    }
    base::Sha256 hash;
    std::vector<char> buffer(k_buffer_size);
    std::uint64_t remaining = size;
    while (remaining > 0) {
        std::size_t want = remaining < buffer.size() ? remaining : buffer.size();
        ssize_t count = ::read(in, buffer.data(), want);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            return io_error(where, "read");
        }
        if (count == 0) {
            return BlobCheck::Damaged;  // shrank while being read
        }
        hash.update(buffer.data(), static_cast<std::size_t>(count));
        KFRUN_TRY(write_all(out, buffer.data(), count, where));
        remaining -= static_cast<std::uint64_t>(count);
    }
    return hash.hex_digest() == digest ? BlobCheck::Intact : BlobCheck::Damaged;
}

}  // namespace kfrun::store
