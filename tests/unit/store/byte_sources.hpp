#pragma once
// ByteSource doubles for store tests: from a string (in small chunks, like an HTTP body),
// from a file, and one that fails part-way.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/byte_source.hpp"

namespace kfrun::store::testing {

class StringByteSource : public engine::ByteSource {
  public:
    explicit StringByteSource(std::string bytes, std::size_t chunk = 7000)
        : m_bytes(std::move(bytes)), m_chunk(chunk) {}
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        std::size_t count = std::min({capacity, m_chunk, m_bytes.size() - m_offset});
        std::memcpy(buffer, m_bytes.data() + m_offset, count);
        m_offset += count;
        return count;
    }

  private:
    std::string m_bytes;
    std::size_t m_chunk;
    std::size_t m_offset = 0;
};

class FileByteSource : public engine::ByteSource {
  public:
    explicit FileByteSource(const std::filesystem::path& path)
        : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    ~FileByteSource() override {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        ssize_t count = ::read(m_fd, buffer, capacity);
        if (count < 0) {
            return base::make_error(base::ErrorKind::Io, "read failed", "test file");
        }
        return static_cast<std::size_t>(count);
    }

  private:
    int m_fd;
};

// Serves `bytes`, then fails with a Docker error instead of ending.
class FailingByteSource : public engine::ByteSource {
  public:
    explicit FailingByteSource(std::string bytes) : m_inner(std::move(bytes)) {}
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        auto count = m_inner.read(buffer, capacity);
        if (count.ok() && *count == 0) {
            return base::make_error(base::ErrorKind::Docker, "connection reset",
                                    "docker GET /containers/x/archive");
        }
        return count;
    }

  private:
    StringByteSource m_inner;
};

}  // namespace kfrun::store::testing
