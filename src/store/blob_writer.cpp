#include "store/blob_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "store/store_error.hpp"

namespace kfrun::store {

base::Result<BlobWriter> BlobWriter::create(const BlobLayout& layout) {
    std::string pattern = (layout.tmp_dir() / "blob-XXXXXX").string();
    int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) {
        return io_error(layout.tmp_dir().string(), "mkostemp");
    }
    return BlobWriter(std::move(pattern), UniqueFd(fd));
}

BlobWriter::BlobWriter(std::string temp_path, UniqueFd fd)
    : m_temp_path(std::move(temp_path)), m_fd(std::move(fd)) {}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : m_temp_path(std::exchange(other.m_temp_path, {})),
      m_fd(std::move(other.m_fd)),
      m_hash(std::move(other.m_hash)),
      m_size(other.m_size) {}

BlobWriter::~BlobWriter() {
    if (!m_temp_path.empty()) {
        m_fd.reset();
        ::unlink(m_temp_path.c_str());
    }
}

base::Result<void> BlobWriter::write(const char* data, std::size_t size) {
    m_hash.update(data, size);
    m_size += size;
    while (size > 0) {
        ssize_t written = ::write(m_fd.get(), data, size);
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error(m_temp_path, "write");
        }
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return base::ok();
}

base::Result<void> BlobWriter::write_from_fd(int fd, std::span<char> buffer,
                                             const std::string& where) {
    while (true) {
        ssize_t count = ::read(fd, buffer.data(), buffer.size());
        if (count < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error(where, "read");
        }
        if (count == 0) {
            return base::ok();
        }
        KFRUN_TRY(write(buffer.data(), static_cast<std::size_t>(count)));
    }
}

base::Result<StagedBlob> BlobWriter::finish() {
    // Blobs are immutable: read-only before they get their final name.
    if (::fchmod(m_fd.get(), 0444) != 0) {
        return io_error(m_temp_path, "fchmod");
    }
    // No fsync: see README.md, "Durability".
    if (m_fd.close() != 0) {
        return io_error(m_temp_path, "close");
    }
    StagedBlob staged(std::move(m_temp_path), m_hash.hex_digest(), m_size);
    m_temp_path.clear();
    return staged;
}

base::Result<StagedBlob> stage_bytes(const BlobLayout& layout, std::string_view bytes) {
    auto writer = BlobWriter::create(layout);
    if (!writer) {
        return writer.error();
    }
    KFRUN_TRY(writer->write(bytes.data(), bytes.size()));
    return writer->finish();
}

}  // namespace kfrun::store
