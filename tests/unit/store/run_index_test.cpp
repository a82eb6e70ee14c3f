// RunIndex: the run history (put, get by ID or prefix, list newest first, experiments).
#include "store/run_index.hpp"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/rocks_handle.hpp"
#include "store_fixture.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

RunRecord make_run(const std::string& id, long long started_ms, const std::string& experiment) {
    RunRecord record;
    record.run_id = id;
    record.started_at = base::SystemTime(base::Millis(started_ms));
    record.experiment = experiment;
    record.summary = {{"runId", id},
                      {"pipeline", "train-evaluate"},
                      {"status", "Succeeded"},
                      {"counts", {{"succeeded", 3}, {"cached", 1}}},
                      {"metrics", {{"accuracy", 0.91}}}};
    return record;
}

std::vector<std::string> ids_of(const std::vector<RunRecord>& runs) {
    std::vector<std::string> ids;
    for (const RunRecord& run : runs) {
        ids.push_back(run.run_id);
    }
    return ids;
}

class RunIndexTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = make_temp_dir();
        m_index = std::make_unique<RunIndex>(m_dir / "runs");
        for (const RunRecord& run :
             {make_run("3f2a9c1e-aaaa", 3000, "exp1"), make_run("3f2b0000-bbbb", 1000, ""),
              make_run("77777777-cccc", 2000, "exp1"), make_run("00000000-dddd", 4000, "exp2")}) {
            auto stored = m_index->put(run);
            ASSERT_TRUE(stored.ok()) << stored.error().to_string();
        }
    }
    void TearDown() override {
        m_index.reset();
        remove_tree(m_dir);
    }
    fs::path m_dir;
    std::unique_ptr<RunIndex> m_index;
};

TEST_F(RunIndexTest, GetByFullIdReturnsTheSummary) {
    auto run = m_index->get("77777777-cccc");
    ASSERT_TRUE(run.ok() && *run);
    EXPECT_EQ((*run)->run_id, "77777777-cccc");
    EXPECT_EQ((*run)->started_at, base::SystemTime(base::Millis(2000)));
    EXPECT_EQ((*run)->experiment, "exp1");
    EXPECT_EQ((*run)->summary, make_run("77777777-cccc", 2000, "exp1").summary);
    RunIndex fresh(m_dir / "runs");
    auto again = fresh.get("77777777-cccc");
    ASSERT_TRUE(again.ok() && *again);
    EXPECT_EQ((*again)->summary["metrics"]["accuracy"], 0.91);
}

TEST_F(RunIndexTest, ASummaryWithInvalidUtf8IsStoredWithReplacementCharacters) {
    RunRecord record = make_run("bad-utf8", 1000, "");
    record.summary["message"] = "step said x\xFFy";
    auto put = m_index->put(record);
    ASSERT_TRUE(put.ok()) << put.error().to_string();
    auto got = m_index->get("bad-utf8");
    ASSERT_TRUE(got.ok() && *got);
    EXPECT_EQ((*got)->summary["message"], "step said x\xEF\xBF\xBDy");
}

TEST_F(RunIndexTest, GetByUniquePrefix) {
    auto run = m_index->get("3f2a");
    ASSERT_TRUE(run.ok() && *run);
    EXPECT_EQ((*run)->run_id, "3f2a9c1e-aaaa");
    auto none = m_index->get("ffff");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(*none);
}

TEST_F(RunIndexTest, AmbiguousPrefixIsAnErrorListingTheCandidates) {
    auto run = m_index->get("3f2");
    ASSERT_FALSE(run.ok());
    EXPECT_EQ(run.error().kind, base::ErrorKind::Input);
    EXPECT_NE(run.error().message.find("3f2a9c1e-aaaa"), std::string::npos);
    EXPECT_NE(run.error().message.find("3f2b0000-bbbb"), std::string::npos);
    EXPECT_FALSE(m_index->get("").ok());
}

TEST_F(RunIndexTest, ListIsNewestFirstWithLimitAndExperimentFilter) {
    auto all = m_index->list(0);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(ids_of(*all), (std::vector<std::string>{"00000000-dddd", "3f2a9c1e-aaaa",
                                                      "77777777-cccc", "3f2b0000-bbbb"}));
    auto two = m_index->list(2);
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(ids_of(*two), (std::vector<std::string>{"00000000-dddd", "3f2a9c1e-aaaa"}));
    auto exp1 = m_index->list(0, "exp1");
    ASSERT_TRUE(exp1.ok());
    EXPECT_EQ(ids_of(*exp1), (std::vector<std::string>{"3f2a9c1e-aaaa", "77777777-cccc"}));
    auto none = m_index->list(0, "nope");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
}

TEST_F(RunIndexTest, PuttingARunAgainReplacesItsRecord) {
    RunRecord update = make_run("77777777-cccc", 5000, "exp1");
    update.summary["status"] = "Failed";
    ASSERT_TRUE(m_index->put(update).ok());
    auto all = m_index->list(0);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ(all->front().run_id, "77777777-cccc");
    EXPECT_EQ(all->front().summary["status"], "Failed");
    auto run = m_index->get("7777");
    ASSERT_TRUE(run.ok() && *run);
    EXPECT_EQ((*run)->summary["status"], "Failed");
}

TEST_F(RunIndexTest, RecordsOfAnotherVersionAreSkipped) {
    RocksHandle handle(m_dir / "runs", {});
    auto written = handle.write([](rocksdb::DB& db) -> base::Result<void> {
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "r/0000000000009000/99999999-eeee",
                           "kfrun-run 2\n{\"runId\":\"99999999-eeee\"}")
                        .ok());
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "i/99999999-eeee",
                           "kfrun-run 2\nr/0000000000009000/99999999-eeee")
                        .ok());
        return base::ok();
    });
    ASSERT_TRUE(written.ok());
    auto all = m_index->list(0);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 4u);
    auto run = m_index->get("9999");
    ASSERT_TRUE(run.ok());
    EXPECT_FALSE(*run);
}

TEST_F(RunIndexTest, DamagedRecordsAreSkippedOrReadWithAnEmptySummary) {
    // Another process (or a hand) may damage the index: a start time past a nanosecond time
    // point's range overflowed the conversion; a summary that is a string reached every
    // `runs` command, whose value() threw on it.
    RocksHandle handle(m_dir / "runs", {});
    auto written = handle.write([](rocksdb::DB& db) -> base::Result<void> {
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "r/0000000000009000/99999999-eeee",
                           "kfrun-run 1\n{\"runId\":\"99999999-eeee\","
                           "\"startedAtMs\":9223372036854775807}")
                        .ok());
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "r/0000000000009001/99999999-ffff",
                           "kfrun-run 1\n{\"runId\":\"99999999-ffff\",\"startedAtMs\":9001,"
                           "\"experiment\":7,\"summary\":\"text\"}")
                        .ok());
        // A run id that is a path: gc removed history/reports/<id>.json, i.e. any *.json.
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "r/0000000000009002/x",
                           "kfrun-run 1\n{\"runId\":\"../../../../tmp/victim\","
                           "\"startedAtMs\":9002}")
                        .ok());
        EXPECT_TRUE(db.Put(rocksdb::WriteOptions(), "i/99999999-ffff",
                           "kfrun-run 1\nr/0000000000009001/99999999-ffff")
                        .ok());
        return base::ok();
    });
    ASSERT_TRUE(written.ok());
    auto all = m_index->list(0);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(ids_of(*all),
              (std::vector<std::string>{"99999999-ffff", "00000000-dddd", "3f2a9c1e-aaaa",
                                        "77777777-cccc", "3f2b0000-bbbb"}));
    EXPECT_EQ(all->front().experiment, "");
    EXPECT_EQ(all->front().summary, nlohmann::json::object());
    auto marked = m_index->mark_interrupted("99999999-ffff", base::SystemTime{});
    ASSERT_TRUE(marked.ok());
    EXPECT_FALSE(*marked);
}

TEST_F(RunIndexTest, ReadsSeeRunsPutByAnotherInstance) {
    ASSERT_TRUE(m_index->list(0).ok());  // a view is open
    RunIndex other(m_dir / "runs");
    ASSERT_TRUE(other.put(make_run("aaaaaaaa-ffff", 9000, "")).ok());
    auto all = m_index->list(1);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(ids_of(*all), std::vector<std::string>{"aaaaaaaa-ffff"});
}

TEST_F(RunIndexTest, EmptyDirectoryHasNoRuns) {
    RunIndex empty(m_dir / "none");
    auto runs = empty.list(10);
    ASSERT_TRUE(runs.ok());
    EXPECT_TRUE(runs->empty());
    auto run = empty.get("3f");
    ASSERT_TRUE(run.ok());
    EXPECT_FALSE(*run);
    EXPECT_FALSE(fs::exists(m_dir / "none"));
}

}  // namespace
}  // namespace kfrun::store::testing

namespace kfrun::store::testing {
namespace {

TEST_F(RunIndexTest, MarkInterruptedEndsARunningRunAsError) {
    RunRecord running = make_run("55555555-eeee", 5000, "");
    running.summary["status"] = "Running";
    ASSERT_TRUE(m_index->put(running).ok());
    auto marked = m_index->mark_interrupted("55555555-eeee", base::SystemTime(base::Millis(9000)));
    ASSERT_TRUE(marked.ok()) << marked.error().to_string();
    EXPECT_TRUE(*marked);
    auto run = m_index->get("55555555-eeee");
    ASSERT_TRUE(run.ok() && *run);
    EXPECT_EQ((*run)->summary["status"], "Error");
    EXPECT_EQ((*run)->summary["message"], "interrupted");
    EXPECT_TRUE((*run)->summary.contains("finishedAt"));
    EXPECT_EQ((*run)->started_at, base::SystemTime(base::Millis(5000)));
}

TEST_F(RunIndexTest, MarkInterruptedLeavesFinishedAndUnknownRunsAlone) {
    auto finished = m_index->mark_interrupted("77777777-cccc", std::chrono::system_clock::now());
    ASSERT_TRUE(finished.ok());
    EXPECT_FALSE(*finished);
    auto run = m_index->get("77777777-cccc");
    ASSERT_TRUE(run.ok() && *run);
    EXPECT_EQ((*run)->summary["status"], "Succeeded");
    // A prefix is not a run id: nothing changes.
    auto prefix = m_index->mark_interrupted("7777", std::chrono::system_clock::now());
    ASSERT_TRUE(prefix.ok());
    EXPECT_FALSE(*prefix);
    auto unknown = m_index->mark_interrupted("99999999-none", std::chrono::system_clock::now());
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(*unknown);
}

}  // namespace
}  // namespace kfrun::store::testing

namespace kfrun::store::testing {
namespace {

TEST_F(RunIndexTest, RemoveForgetsARun) {
    auto removed = m_index->remove("77777777-cccc");
    ASSERT_TRUE(removed.ok()) << removed.error().to_string();
    EXPECT_TRUE(*removed);
    auto run = m_index->get("77777777-cccc");
    ASSERT_TRUE(run.ok());
    EXPECT_FALSE(*run);
    auto runs = m_index->list(0);
    ASSERT_TRUE(runs.ok());
    EXPECT_EQ(ids_of(*runs),
              (std::vector<std::string>{"00000000-dddd", "3f2a9c1e-aaaa", "3f2b0000-bbbb"}));
    auto again = m_index->remove("77777777-cccc");
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);
}

}  // namespace
}  // namespace kfrun::store::testing
