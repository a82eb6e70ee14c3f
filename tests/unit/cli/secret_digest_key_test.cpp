// The cache directory's secret digest key: made once (0600), the same for every later process,
// and a key file that was tampered with is an error, never followed or silently replaced.
#include "cli/secret_digest_key.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace kfrun::cli {
namespace {

namespace fs = std::filesystem;

class SecretDigestKey : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("kfrun-key-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
        fs::permissions(m_dir, fs::perms::owner_all);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path file() const { return m_dir / k_secret_digest_key_file; }
    fs::path m_dir;
};

TEST_F(SecretDigestKey, IsMadeOncePrivateAndKept) {
    auto first = load_or_create_secret_digest_key(m_dir);
    ASSERT_TRUE(first.ok()) << first.error().to_string();
    EXPECT_EQ(first->size(), 64u);
    struct stat info {};
    ASSERT_EQ(::lstat(file().c_str(), &info), 0);
    EXPECT_TRUE(S_ISREG(info.st_mode));
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    auto second = load_or_create_secret_digest_key(m_dir);
    ASSERT_TRUE(second.ok()) << second.error().to_string();
    EXPECT_EQ(*first, *second);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(m_dir)) {
        ++entries;  // no temp file is left behind
    }
    EXPECT_EQ(entries, 1u);
}

TEST_F(SecretDigestKey, AnotherCacheDirectoryGetsAnotherKey) {
    auto mine = load_or_create_secret_digest_key(m_dir);
    fs::create_directories(m_dir / "other");
    auto other = load_or_create_secret_digest_key(m_dir / "other");
    ASSERT_TRUE(mine.ok() && other.ok());
    EXPECT_NE(*mine, *other);
}

TEST_F(SecretDigestKey, ALinkOrGarbageInItsPlaceIsAnErrorNamingTheFile) {
    std::ofstream(m_dir / "elsewhere") << std::string(64, 'a');
    fs::create_symlink(m_dir / "elsewhere", file());
    auto linked = load_or_create_secret_digest_key(m_dir);
    ASSERT_FALSE(linked.ok());
    EXPECT_NE(linked.error().to_string().find(file().string()), std::string::npos)
        << linked.error().to_string();

    fs::remove(file());
    std::ofstream(file()) << std::string(64, 'a');
    ::chmod(file().c_str(), 0644);  // a key others can read protects nothing
    auto readable = load_or_create_secret_digest_key(m_dir);
    ASSERT_FALSE(readable.ok());
    EXPECT_NE(readable.error().message.find("mode 0600"), std::string::npos)
        << readable.error().message;

    fs::remove(file());
    std::ofstream(file()) << std::string(64, 'Z');
    ::chmod(file().c_str(), 0600);
    auto garbage = load_or_create_secret_digest_key(m_dir);
    ASSERT_FALSE(garbage.ok());
    EXPECT_NE(garbage.error().message.find("64 hex characters"), std::string::npos)
        << garbage.error().message;
}

}  // namespace
}  // namespace kfrun::cli
