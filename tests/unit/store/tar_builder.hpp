#pragma once
// TarBuilder: writes tar streams with libarchive's writer (pax, as Docker's archive endpoint
// produces) so tests can feed the store exactly the entries they need, good or hostile.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

struct archive;

namespace kfrun::store::testing {

class TarBuilder {
  public:
    TarBuilder();
    ~TarBuilder();
    TarBuilder(const TarBuilder&) = delete;
    TarBuilder& operator=(const TarBuilder&) = delete;

    TarBuilder& directory(std::string_view name, mode_t mode = 0755);
    TarBuilder& file(std::string_view name, std::string_view content, mode_t mode = 0644);
    TarBuilder& symlink(std::string_view name, std::string_view target);
    TarBuilder& hardlink(std::string_view name, std::string_view existing);
    TarBuilder& fifo(std::string_view name);
    TarBuilder& char_device(std::string_view name);
    // The whole stream (end-of-archive blocks included).
    std::string finish();

  private:
    void header(std::string_view name, mode_t type, mode_t mode, std::int64_t size,
                std::string_view link, bool hard);

    archive* m_writer;
    std::string m_bytes;
};

// Streams one regular file entry `name` of `size` bytes to a tar file at `tar_path`, the bytes
// coming from `fill(buffer, count)` chunk by chunk. Memory stays bounded.
void write_large_tar(const std::filesystem::path& tar_path, std::string_view name,
                     std::uint64_t size, const std::function<void(char*, std::size_t)>& fill);

}  // namespace kfrun::store::testing
