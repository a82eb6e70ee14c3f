// `kfrun gc`: removes the store blobs nothing refers to (never those of the cache or a kept
// run), says what it removed, removes nothing with --dry-run, and with --older-than forgets old
// runs and cache entries first.
#include <fstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"
#include "lifecycle_support.hpp"

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

std::set<std::string> blobs_in(const fs::path& data_dir) {
    std::set<std::string> blobs;
    std::error_code ec;
    for (fs::recursive_directory_iterator entry(data_dir / "store" / "blobs", ec), end;
         !ec && entry != end; entry.increment(ec)) {
        if (entry->is_regular_file()) {
            blobs.insert(entry->path().parent_path().filename().string() +
                         entry->path().filename().string());
        }
    }
    return blobs;
}

// Blobs as an earlier day left them (gc spares blobs of the last minute: a run in progress may
// not have recorded them yet).
void age_blobs(const fs::path& data_dir) {
    const auto then = fs::file_time_type::clock::now() - std::chrono::hours(2);
    std::error_code ec;
    for (fs::recursive_directory_iterator entry(data_dir / "store" / "blobs", ec), end;
         !ec && entry != end; entry.increment(ec)) {
        if (entry->is_regular_file()) {
            fs::last_write_time(entry->path(), then);
        }
    }
}

class GcCommand : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }
    KfrunResult gc(std::vector<std::string> args) {
        std::vector<std::string> full = {"gc",          "--no-color",
                                         "--data-dir",  kfrun.data_dir().string(),
                                         "--cache-dir", kfrun.cache_dir().string()};
        full.insert(full.end(), args.begin(), args.end());
        return kfrun.exec(full);
    }
    KfrunProcess kfrun;
};

TEST_F(GcCommand, RemovesOnlyUnreferencedBlobsAndADryRunRemovesNothing) {
    KfrunResult run = kfrun.run(
        KfrunProcess::fixture("tests/integration/pipelines/data/artifacts.yaml").string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    age_blobs(kfrun.data_dir());
    const std::set<std::string> stored = blobs_in(kfrun.data_dir());
    ASSERT_FALSE(stored.empty());

    // The output parameters' files pass through the store on their way to their values, which
    // the cache entry and the report hold as text: those blobs are garbage after the run.
    KfrunResult first = gc({});
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const std::set<std::string> referenced = blobs_in(kfrun.data_dir());
    ASSERT_FALSE(referenced.empty());
    EXPECT_GT(stored.size(), referenced.size()) << first.output;
    EXPECT_NE(first.output.find("store: removed " +
                                std::to_string(stored.size() - referenced.size()) + " blob"),
              std::string::npos)
        << first.output;

    // Everything left is referenced by the cache and the kept run.
    KfrunResult nothing = gc({});
    ASSERT_EQ(nothing.exit_code, 0) << nothing.output;
    EXPECT_NE(nothing.output.find("store: removed 0 blobs (0 B)"), std::string::npos)
        << nothing.output;
    EXPECT_EQ(blobs_in(kfrun.data_dir()), referenced);

    // A blob nothing refers to (a step whose run was forgotten, an ingest that was killed).
    const std::string stray(64, 'e');
    const fs::path stray_path =
        kfrun.data_dir() / "store" / "blobs" / "sha256" / stray.substr(0, 2) / stray.substr(2);
    fs::create_directories(stray_path.parent_path());
    std::ofstream(stray_path) << "nobody refers to me";
    age_blobs(kfrun.data_dir());

    KfrunResult dry = gc({"--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.output;
    EXPECT_NE(dry.output.find("store: would remove 1 blob (19 B)"), std::string::npos)
        << dry.output;
    EXPECT_TRUE(fs::exists(stray_path));

    KfrunResult removed = gc({});
    ASSERT_EQ(removed.exit_code, 0) << removed.output;
    EXPECT_NE(removed.output.find("store: removed 1 blob (19 B)"), std::string::npos)
        << removed.output;
    EXPECT_FALSE(fs::exists(stray_path));
    EXPECT_EQ(blobs_in(kfrun.data_dir()), referenced);

    // The run still re-runs from the cache: its blobs were all kept.
    KfrunResult again = kfrun.run(
        KfrunProcess::fixture("tests/integration/pipelines/data/artifacts.yaml").string());
    ASSERT_EQ(again.exit_code, 0) << again.output;
    EXPECT_EQ(again.step("produce")["cache"], "hit") << again.output;
    EXPECT_EQ(again.step("consume")["cache"], "hit") << again.output;
    EXPECT_EQ(again.step("consume")["outputs"], run.step("consume")["outputs"]) << again.output;
}

TEST_F(GcCommand, OlderThanForgetsOldRunsAndCacheEntriesThenTheirBlobs) {
    KfrunResult run = kfrun.run(
        KfrunProcess::fixture("tests/integration/pipelines/data/artifacts.yaml").string());
    ASSERT_EQ(run.exit_code, 0) << run.output;
    age_blobs(kfrun.data_dir());
    const std::set<std::string> before = blobs_in(kfrun.data_dir());
    ASSERT_FALSE(before.empty());

    KfrunResult dry = gc({"--older-than", "0s", "--dry-run"});
    ASSERT_EQ(dry.exit_code, 0) << dry.output;
    EXPECT_NE(dry.output.find("history: would remove 1 run"), std::string::npos) << dry.output;
    EXPECT_NE(dry.output.find("store: would remove " + std::to_string(before.size()) + " blob"),
              std::string::npos)
        << dry.output;
    EXPECT_EQ(blobs_in(kfrun.data_dir()), before);

    KfrunResult pruned = gc({"--older-than", "0s"});
    ASSERT_EQ(pruned.exit_code, 0) << pruned.output;
    EXPECT_NE(pruned.output.find("history: removed 1 run"), std::string::npos) << pruned.output;
    EXPECT_TRUE(blobs_in(kfrun.data_dir()).empty());
    KfrunResult listed = kfrun.exec({"runs", "list", "--data-dir", kfrun.data_dir().string()});
    EXPECT_EQ(listed.output.find(run.report.value("runId", "?")), std::string::npos)
        << listed.output;
}

TEST_F(GcCommand, BadFlagsAreInputErrors) {
    KfrunResult age = gc({"--older-than", "soon"});
    EXPECT_EQ(age.exit_code, 2);
    EXPECT_NE(age.output.find("expected an age such as 30d or 12h"), std::string::npos)
        << age.output;
    KfrunResult size = gc({"--max-size", "big"});
    EXPECT_EQ(size.exit_code, 2);
    EXPECT_NE(size.output.find("expected a size such as 500M or 2G"), std::string::npos)
        << size.output;
}

}  // namespace
}  // namespace kfrun::testing
