// Concurrent writers of the same content, and writers killed at random moments.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <latch>
#include <thread>

#include "base/sha256.hpp"
#include "byte_sources.hpp"
#include "store_fixture.hpp"
#include "tar_builder.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

std::string many_files_tar(int count, std::size_t big_size) {
    TarBuilder tar;
    tar.directory("out/");
    for (int i = 0; i < count; ++i) {
        tar.file("out/d" + std::to_string(i % 7) + "/f" + std::to_string(i),
                 "content " + std::to_string(i % 50));  // repeated contents too
    }
    tar.file("out/big", std::string(big_size, 'b'));
    return tar.finish();
}

TEST_F(StoreTest, TwoThreadsIngestingTheSameContentBothSucceed) {
    const std::string tar = many_files_tar(200, 4 << 20);
    for (int round = 0; round < 3; ++round) {
        // A fresh store each round, so the threads also race to create shard directories.
        const fs::path root = m_dir / ("store-" + std::to_string(round));
        auto store = FileArtifactStore::open(root);
        ASSERT_TRUE(store.ok());
        std::latch start(2);
        base::Result<engine::ArtifactRef> results[2] = {
            base::make_error(base::ErrorKind::Internal, "not run"),
            base::make_error(base::ErrorKind::Internal, "not run")};
        auto work = [&](int index) {
            StringByteSource source(tar, 1 << 16);
            start.arrive_and_wait();
            results[index] = (*store)->ingest_tar(source);
        };
        std::thread first(work, 0);
        std::thread second(work, 1);
        first.join();
        second.join();
        ASSERT_TRUE(results[0].ok()) << results[0].error().to_string();
        ASSERT_TRUE(results[1].ok()) << results[1].error().to_string();
        EXPECT_EQ(*results[0], *results[1]);
        EXPECT_EQ(results[0]->file_count, 201u);
        EXPECT_TRUE((*store)->contains(*results[0], true));
        EXPECT_TRUE(fs::is_empty(root / "tmp"));
        ASSERT_TRUE(
            (*store)->materialize(*results[0], m_dir / ("out-" + std::to_string(round))).ok());
    }
}

// Every file under blobs/ hashes to its own name.
void expect_all_blobs_intact(const fs::path& root) {
    for (const auto& entry : fs::recursive_directory_iterator(root / "blobs" / "sha256")) {
        if (!entry.is_regular_file()) {
            continue;
        }
        const std::string name =
            entry.path().parent_path().filename().string() + entry.path().filename().string();
        EXPECT_EQ(base::sha256_hex(read_file(entry.path())), name) << entry.path();
    }
}

// A child process ingests trees in a loop (renaming over existing blobs from the second
// round on) and is killed with SIGKILL at a different moment each time.
TEST_F(StoreTest, KilledIngestNeverLeavesAPartialBlobUnderItsFinalName) {
    std::vector<std::string> tars;
    for (int variant = 0; variant < 4; ++variant) {
        TarBuilder builder;
        builder.directory("out/");
        for (int i = 0; i < 32; ++i) {
            builder.file("out/part" + std::to_string(i),
                         std::string(512 << 10, static_cast<char>('A' + variant * 32 + i % 26)) +
                             std::to_string(i));
        }
        tars.push_back(builder.finish());
    }
    const fs::path root = m_dir / "crash";
    ASSERT_TRUE(FileArtifactStore::open(root).ok());
    for (int round = 0; round < 12; ++round) {
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            auto store = FileArtifactStore::open(root);
            for (std::size_t i = 0; store.ok(); ++i) {
                StringByteSource source(tars[i % tars.size()], 1 << 16);
                if (!(*store)->ingest_tar(source).ok()) {
                    break;
                }
            }
            ::_exit(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + 13 * round));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        ASSERT_TRUE(WIFSIGNALED(status)) << "the child stopped ingesting on its own";
        expect_all_blobs_intact(root);
    }
    // The store is still usable, and an ingest completes what the killed ones began.
    auto store = FileArtifactStore::open(root);
    ASSERT_TRUE(store.ok());
    StringByteSource source(tars[0], 1 << 16);
    auto ref = (*store)->ingest_tar(source);
    ASSERT_TRUE(ref.ok()) << ref.error().to_string();
    EXPECT_TRUE((*store)->contains(*ref, true));
}

}  // namespace
}  // namespace kfrun::store::testing
