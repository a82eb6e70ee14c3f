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

// A ustar header for the directory `path` (ending in `/`).
std::string directory_header(const std::string& path, const char* mode) {
    std::string header(512, '\0');
    auto put = [&header](std::size_t offset, const std::string& text) {
        std::memcpy(header.data() + offset, text.data(), std::min<std::size_t>(text.size(), 99));
    };
    put(0, path);
    put(100, mode);
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
    return header;
}

}  // namespace

base::Result<ArtifactRef> ingest_empty_folders(ArtifactStore& store,
                                               const std::set<std::string>& names) {
    std::string tar = directory_header("d/", "0000755");
    for (const std::string& name : names) {
        if (name.empty() || name.size() > 90 || name.find('/') != std::string::npos ||
            name == "." || name == "..") {
            return base::make_error(base::ErrorKind::Step,
                                    "`" + name + "` cannot be made as a folder");
        }
        tar += directory_header("d/" + name + "/", "0000777");
    }
    TextSource source(tar + std::string(1024, '\0'));
    return store.ingest_tar(source);
}

}  // namespace kfrun::engine
