#pragma once
// StagedBlob: a complete, hashed, read-only temp file in tmp/ waiting to be renamed to its
// final name by a BlobTransaction. Removes its temp file unless released.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

namespace kfrun::store {

class StagedBlob {
  public:
    StagedBlob(std::filesystem::path temp_path, std::string digest, std::uint64_t size)
        : m_temp_path(std::move(temp_path)), m_digest(std::move(digest)), m_size(size) {}
    ~StagedBlob() { discard(); }
    StagedBlob(const StagedBlob&) = delete;
    StagedBlob& operator=(const StagedBlob&) = delete;
    StagedBlob(StagedBlob&& other) noexcept
        : m_temp_path(std::exchange(other.m_temp_path, {})),
          m_digest(std::move(other.m_digest)),
          m_size(other.m_size) {}
    StagedBlob& operator=(StagedBlob&& other) noexcept {
        if (this != &other) {
            discard();
            m_temp_path = std::exchange(other.m_temp_path, {});
            m_digest = std::move(other.m_digest);
            m_size = other.m_size;
        }
        return *this;
    }

    const std::filesystem::path& temp_path() const { return m_temp_path; }
    const std::string& digest() const { return m_digest; }
    std::uint64_t size() const { return m_size; }

    // The temp file now belongs to someone else (it was renamed).
    void release() { m_temp_path.clear(); }
    void discard() {
        if (!m_temp_path.empty()) {
            ::unlink(m_temp_path.c_str());
            m_temp_path.clear();
        }
    }

  private:
    std::filesystem::path m_temp_path;
    std::string m_digest;
    std::uint64_t m_size = 0;
};

}  // namespace kfrun::store
