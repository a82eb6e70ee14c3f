// ArtifactStore::ingest_beneath: what a KFP importer reads below a folder the user named. A URI
// the pipeline controls must not leave the folder through a link or `..`.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

TEST_F(StoreTest, IngestBeneathReadsAFileOrAFolderBelowTheRoot) {
    const fs::path root = m_dir / "data";
    write_file(root / "sets" / "a.csv", "x,y\n1,2\n");
    write_file(root / "model" / "weights.txt", "w=1");
    auto file = m_store->ingest_beneath(root, "sets/a.csv");
    ASSERT_TRUE(file.ok()) << file.error().to_string();
    EXPECT_EQ(*file, *m_store->ingest_path(root / "sets" / "a.csv"));
    auto folder = m_store->ingest_beneath(root, "model");
    ASSERT_TRUE(folder.ok()) << folder.error().to_string();
    EXPECT_TRUE(folder->is_directory());
    auto whole = m_store->ingest_beneath(root / "sets" / "a.csv", "");
    ASSERT_TRUE(whole.ok()) << whole.error().to_string();
    EXPECT_EQ(*whole, *file);
}

TEST_F(StoreTest, IngestBeneathFollowsNoLinkBelowTheRootAndNoDotDot) {
    const fs::path root = m_dir / "data";
    write_file(m_dir / "secret" / "key", "do not read");
    write_file(root / "ok.txt", "ok");
    fs::create_directory_symlink(m_dir / "secret", root / "dir-link");
    fs::create_symlink(m_dir / "secret" / "key", root / "file-link");
    const auto before = store_contents();

    auto through_dir = m_store->ingest_beneath(root, "dir-link/key");
    ASSERT_FALSE(through_dir.ok());
    EXPECT_NE(through_dir.error().to_string().find("not followed"), std::string::npos)
        << through_dir.error().to_string();
    auto link_itself = m_store->ingest_beneath(root, "file-link");
    ASSERT_FALSE(link_itself.ok());
    EXPECT_NE(link_itself.error().to_string().find("symlink"), std::string::npos);
    auto dot_dot = m_store->ingest_beneath(root, "../secret/key");
    ASSERT_FALSE(dot_dot.ok());
    auto missing = m_store->ingest_beneath(root, "absent.txt");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(store_contents(), before);  // nothing stored, nothing half-written
}

TEST_F(StoreTest, IngestBeneathRefusesFifosAndDevicesWithoutOpeningThem) {
    const fs::path root = m_dir / "data";
    fs::create_directories(root);
    ASSERT_EQ(::mkfifo((root / "fifo").c_str(), 0600), 0);
    auto fifo = m_store->ingest_beneath(root, "fifo");  // an open would block: never opened
    ASSERT_FALSE(fifo.ok());
    EXPECT_NE(fifo.error().to_string().find("not a regular file or directory"), std::string::npos);
    EXPECT_FALSE(m_store->ingest_beneath("/dev", "null").ok());
}

TEST_F(StoreTest, AFolderNestedDeeperThanTheLimitIsRefusedNotRecursedInto) {
    fs::path deep = m_dir / "deep";
    fs::create_directories(deep);
    int dir = ::open(deep.c_str(), O_RDONLY | O_DIRECTORY);
    ASSERT_GE(dir, 0);
    for (int i = 0; i < 1001; ++i) {
        ASSERT_EQ(::mkdirat(dir, "d", 0755), 0);
        int next = ::openat(dir, "d", O_RDONLY | O_DIRECTORY);
        ::close(dir);
        dir = next;
        ASSERT_GE(dir, 0);
    }
    ::close(dir);
    auto stored = m_store->ingest_path(deep);
    ASSERT_FALSE(stored.ok());
    EXPECT_NE(stored.error().to_string().find("deeper than 1000"), std::string::npos)
        << stored.error().to_string();
}

}  // namespace
}  // namespace kfrun::store::testing
