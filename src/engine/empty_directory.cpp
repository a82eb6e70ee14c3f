#include "engine/empty_directory.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "engine/byte_source.hpp"

namespace kfrun::engine {

namespace {

class TextSource : public ByteSource {
  public:
    explicit TextSource(std::string text) : m_text(std::move(text)) {}
    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
        std::size_t count = std::min(capacity, m_text.size() - m_at);
        std::memcpy(buffer, m_text.data() + m_at, count);
        m_at += count;
        return count;
    }

  private:
    std::string m_text;
    std::size_t m_at = 0;
};

// One ustar header for the directory `d/`, then the two zero blocks that end an archive.
std::string empty_directory_tar() {
    std::string header(512, '\0');
    auto put = [&header](std::size_t offset, const std::string& text) {
        std::memcpy(header.data() + offset, text.data(), text.size());
    };
    put(0, "d/");
    put(100, "0000777");      // mode
    put(108, "0000000");      // uid
    put(116, "0000000");      // gid
    put(124, "00000000000");  // size
    put(136, "00000000000");  // mtime
    put(148, "        ");     // checksum: spaces while it is computed
    header[156] = '5';        // directory
    put(257, "ustar");
    put(263, "00");
    unsigned sum = 0;
    for (char c : header) {
        sum += static_cast<unsigned char>(c);
    }
    char checksum[8];
    std::snprintf(checksum, sizeof(checksum), "%06o", sum);
    std::memcpy(header.data() + 148, checksum, 6);
    header[154] = '\0';
    header[155] = ' ';
    return header + std::string(1024, '\0');
}

}  // namespace

base::Result<ArtifactRef> ingest_empty_directory(ArtifactStore& store) {
    TextSource source(empty_directory_tar());
    return store.ingest_tar(source);
}

}  // namespace kfrun::engine
