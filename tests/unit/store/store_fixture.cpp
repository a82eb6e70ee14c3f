#include "store_fixture.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "byte_sources.hpp"

namespace kfrun::store::testing {

namespace fs = std::filesystem;

fs::path make_temp_dir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/kfrun-store-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    return pattern;
}

void remove_tree(const fs::path& path) {
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(path, ec))) {
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
        for (auto it = fs::recursive_directory_iterator(path, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_directory() && !it->is_symlink()) {
                fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
            }
        }
    }
    fs::remove_all(path, ec);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const fs::path& path, std::string_view content, mode_t mode) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary).write(content.data(), content.size());
    ::chmod(path.c_str(), mode);
}

std::string host_sha256sum(const fs::path& path) {
    const std::string command = "sha256sum '" + path.string() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return "popen failed";
    }
    char buffer[65] = {};
    const std::size_t count = std::fread(buffer, 1, 64, pipe);
    ::pclose(pipe);
    return std::string(buffer, count);
}

mode_t permissions_of(const fs::path& path) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return 07777 + 1;
    }
    return info.st_mode & 07777;
}

void StoreTest::SetUp() {
    m_dir = make_temp_dir();
    auto store = FileArtifactStore::open(store_root());
    ASSERT_TRUE(store.ok()) << store.error().to_string();
    m_store = std::move(store).value();
}

void StoreTest::TearDown() {
    m_store.reset();
    remove_tree(m_dir);
}

engine::ArtifactRef StoreTest::ingest(std::string tar_bytes) {
    StringByteSource source(std::move(tar_bytes));
    auto ref = m_store->ingest_tar(source);
    EXPECT_TRUE(ref.ok()) << (ref.ok() ? "" : ref.error().to_string());
    return ref.ok() ? *ref : engine::ArtifactRef{};
}

std::set<std::string> StoreTest::store_contents() const {
    std::set<std::string> paths;
    for (const char* sub : {"blobs", "tmp"}) {
        for (const auto& entry : fs::recursive_directory_iterator(store_root() / sub)) {
            paths.insert(entry.path().lexically_relative(store_root()).string());
        }
    }
    return paths;
}

}  // namespace kfrun::store::testing
