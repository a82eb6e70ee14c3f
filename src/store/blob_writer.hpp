#pragma once
// BlobWriter: streams bytes into a temp file under tmp/ while hashing them, then hands the
// finished file over as a StagedBlob. Memory use is one fixed buffer, whatever the size.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/sha256.hpp"
#include "store/blob_layout.hpp"
#include "store/staged_blob.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

class BlobWriter {
  public:
    // Creates tmp/blob-XXXXXX (mode 0600 until finished).
    static base::Result<BlobWriter> create(const BlobLayout& layout);
    ~BlobWriter();
    BlobWriter(BlobWriter&& other) noexcept;
    BlobWriter& operator=(BlobWriter&&) noexcept = delete;

    base::Result<void> write(const char* data, std::size_t size);
    // Copies everything readable from `fd` (a host file) through `buffer`. `where` names the
    // file in errors.
    base::Result<void> write_from_fd(int fd, std::span<char> buffer, const std::string& where);
    // Makes the file read-only (0444) and closes it. The writer is spent afterwards.
    base::Result<StagedBlob> finish();

  private:
    BlobWriter(std::string temp_path, UniqueFd fd);

    std::string m_temp_path;  // empty once finished
    UniqueFd m_fd;
    base::Sha256 m_hash;
    std::uint64_t m_size = 0;
};

// Writes `bytes` as one staged blob.
base::Result<StagedBlob> stage_bytes(const BlobLayout& layout, std::string_view bytes);

}  // namespace kfrun::store
