// PullProgressTracker over lines recorded from a Docker 20.10 pull, and hostile lines.
#include <gtest/gtest.h>

#include "docker/pull_progress.hpp"

namespace kfrun::docker {
namespace {

TEST(PullProgress, RecordedLinesSumBytesAndLayers) {
    PullProgressTracker tracker("127.0.0.1:5000/kfrun-test/busybox:1");
    const char* lines[] = {
        R"({"status":"Pulling from kfrun-test/busybox","id":"1"})",
        R"({"status":"Pulling fs layer","progressDetail":{},"id":"aaa"})",
        R"({"status":"Pulling fs layer","progressDetail":{},"id":"bbb"})",
        R"({"status":"Already exists","progressDetail":{},"id":"ccc"})",
        R"({"status":"Waiting","progressDetail":{},"id":"bbb"})",
        R"({"status":"Downloading","progressDetail":{"current":1000,"total":4000},"progress":"[=> ]","id":"aaa"})",
    };
    for (const char* line : lines) {
        tracker.add_line(line);
    }
    auto now = tracker.snapshot();
    EXPECT_EQ(now.image, "127.0.0.1:5000/kfrun-test/busybox:1");
    EXPECT_EQ(now.bytes_done, 1000u);
    EXPECT_EQ(now.bytes_total, 4000u);
    EXPECT_EQ(now.layers_done, 1);
    EXPECT_EQ(now.layers_total, 3);

    tracker.add_line(
        R"({"status":"Downloading","progressDetail":{"current":500,"total":2000},"id":"bbb"})");
    tracker.add_line(R"({"status":"Verifying Checksum","progressDetail":{},"id":"aaa"})");
    tracker.add_line(R"({"status":"Download complete","progressDetail":{},"id":"aaa"})");
    now = tracker.snapshot();
    EXPECT_EQ(now.bytes_done, 4500u);
    EXPECT_EQ(now.bytes_total, 6000u);
    tracker.add_line(
        R"({"status":"Extracting","progressDetail":{"current":32768,"total":4000},"id":"aaa"})");
    tracker.add_line(R"({"status":"Pull complete","progressDetail":{},"id":"aaa"})");
    tracker.add_line(R"({"status":"Download complete","progressDetail":{},"id":"bbb"})");
    tracker.add_line(R"({"status":"Pull complete","progressDetail":{},"id":"bbb"})");
    tracker.add_line(R"({"status":"Digest: sha256:0123"})");
    tracker.add_line(
        R"({"status":"Status: Downloaded newer image for 127.0.0.1:5000/kfrun-test/busybox:1"})");
    now = tracker.snapshot();
    EXPECT_EQ(now.bytes_done, 6000u);
    EXPECT_EQ(now.bytes_total, 6000u);
    EXPECT_EQ(now.layers_done, 3);
    EXPECT_EQ(now.layers_total, 3);
}

TEST(PullProgress, HostileLinesNeverCrashOrOverflow) {
    PullProgressTracker tracker("x");
    for (
        const std::string& line :
        {std::string(""), std::string("garbage"), std::string("[1]"), std::string("{\"id\":5}"),
         std::string(
             R"({"status":"Downloading","id":"a","progressDetail":{"current":-5,"total":"x"}})"),
         std::string(
             R"({"status":"Downloading","id":"b","progressDetail":{"current":1e300,"total":18446744073709551615}})"),
         std::string(
             R"({"status":"Downloading","id":"c","progressDetail":{"current":900,"total":10}})"),
         std::string(R"({"status":"Downloading","id":"c","progressDetail":[]})"),
         std::string(100000, '{'),
         std::string(R"({"status":"Pull complete","id":")") + std::string(1000, 'z') + "\"}"}) {
        tracker.add_line(line);
    }
    for (int i = 0; i < 10000; ++i) {
        tracker.add_line(R"({"status":"Waiting","id":"layer)" + std::to_string(i) + "\"}");
    }
    const auto now = tracker.snapshot();
    EXPECT_EQ(now.layers_total, static_cast<int>(PullProgressTracker::k_max_layers));
    EXPECT_LE(now.bytes_done, now.bytes_total);
    EXPECT_LE(now.bytes_total, std::uint64_t{1} << 51);
}

}  // namespace
}  // namespace kfrun::docker
