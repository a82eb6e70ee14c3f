#include "docker/step_logs.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace kfrun::docker {
namespace {

std::string frame(unsigned char type, std::string_view payload) {
    std::string out(8, '\0');
    out[0] = static_cast<char>(type);
    const auto size = static_cast<std::uint32_t>(payload.size());
    out[6] = static_cast<char>((size >> 8) & 0xff);
    out[7] = static_cast<char>(size & 0xff);
    return out + std::string(payload);
}

using Lines = std::vector<std::pair<OutputStream, std::string>>;

TEST(StepLogs, HandsOnLinesPerStreamAndKeepsTails) {
    Lines lines;
    StepLogs logs([&](OutputStream stream, std::string_view line) {
        lines.emplace_back(stream, std::string(line));
    });
    const std::string stream =
        frame(1, "o1\no") + frame(2, "e1\n") + frame(1, "2\n") + frame(2, "e2 no newline");
    ASSERT_TRUE(logs.feed(stream.substr(0, 13)).ok());
    ASSERT_TRUE(logs.feed(stream.substr(13)).ok());
    ASSERT_TRUE(logs.finish().ok());
    EXPECT_EQ(lines, (Lines{{OutputStream::Stdout, "o1"},
                            {OutputStream::Stderr, "e1"},
                            {OutputStream::Stdout, "o2"},
                            {OutputStream::Stderr, "e2 no newline"}}));
    EXPECT_EQ(logs.stdout_tail(), "o1\no2\n");
    EXPECT_EQ(logs.log_tail(), "o1\ne1\no2\ne2 no newline\n");
}

TEST(StepLogs, KeepsOnlyTheLastBytesOfStdoutAndTheLastLines) {
    StepLogs::Options options;
    options.stdout_tail_bytes = 10;
    options.tail_lines = 2;
    StepLogs logs([](OutputStream, std::string_view) {}, options);
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(logs.feed(frame(1, "line" + std::to_string(i) + "\n")).ok());
    }
    ASSERT_TRUE(logs.feed(frame(2, "err\n")).ok());
    ASSERT_TRUE(logs.finish().ok());
    EXPECT_EQ(logs.stdout_tail(), "48\nline49\n");  // the last 10 bytes
    EXPECT_EQ(logs.log_tail(), "line49\nerr\n");
}

TEST(StepLogs, ReportsInBandDaemonErrors) {
    StepLogs logs([](OutputStream, std::string_view) {});
    const auto result = logs.feed(frame(1, "x\n") + frame(3, "Error grabbing logs: gone"));
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("Error grabbing logs: gone"), std::string::npos);
    EXPECT_EQ(logs.log_tail(), "x\n");
}

std::string stamped(unsigned char type, std::string_view time, std::string_view payload) {
    return frame(type, std::string(time) + " " + std::string(payload));
}

TEST(StepLogs, StripsTimestampsEvenWhenAFrameArrivesByteByByte) {
    Lines lines;
    StepLogs::Options options;
    options.timestamps = true;
    StepLogs logs([&](OutputStream stream,
                      std::string_view line) { lines.emplace_back(stream, std::string(line)); },
                  options);
    const std::string stream = stamped(1, "2026-11-25T12:57:46.047700316Z", "a\n") +
                               stamped(2, "2026-11-25T12:57:46.047749059Z", "b\n");
    for (const char c : stream) {
        ASSERT_TRUE(logs.feed(std::string_view(&c, 1)).ok());
    }
    ASSERT_TRUE(logs.finish().ok());
    EXPECT_EQ(lines, (Lines{{OutputStream::Stdout, "a"}, {OutputStream::Stderr, "b"}}));
    EXPECT_EQ(logs.stdout_tail(), "a\n");
}

TEST(StepLogs, CatchUpDeliversOnlyWhatTheFollowedStreamMissed) {
    Lines lines;
    StepLogs::Options options;
    options.timestamps = true;
    StepLogs logs([&](OutputStream stream,
                      std::string_view line) { lines.emplace_back(stream, std::string(line)); },
                  options);
    // Followed: an old record, then two within the last second; the final partial is missing.
    ASSERT_TRUE(logs.feed(stamped(1, "2026-11-25T12:57:40.000000000Z", "old\n") +
                          stamped(1, "2026-11-25T12:57:45.500000000Z", "c\n") +
                          stamped(2, "2026-11-25T12:57:46.000000000Z", "b\n"))
                    .ok());
    EXPECT_EQ(logs.begin_catch_up(), "1795611465.000000000");
    // The catch-up answer: every record since then, in file order.
    ASSERT_TRUE(logs.feed(stamped(1, "2026-11-25T12:57:45.500000000Z", "c\n") +
                          stamped(2, "2026-11-25T12:57:46.000000000Z", "b\n") +
                          stamped(1, "2026-11-25T12:57:46.000000001Z", "d"))
                    .ok());
    ASSERT_TRUE(logs.finish().ok());
    EXPECT_EQ(lines, (Lines{{OutputStream::Stdout, "old"},
                            {OutputStream::Stdout, "c"},
                            {OutputStream::Stderr, "b"},
                            {OutputStream::Stdout, "d"}}));
    EXPECT_EQ(logs.stdout_tail(), "old\nc\nd");
}

TEST(StepLogs, CatchUpWithNothingFollowedAsksForEverything) {
    Lines lines;
    StepLogs::Options options;
    options.timestamps = true;
    StepLogs logs([&](OutputStream stream,
                      std::string_view line) { lines.emplace_back(stream, std::string(line)); },
                  options);
    EXPECT_EQ(logs.begin_catch_up(), "");
    ASSERT_TRUE(logs.feed(stamped(1, "2026-11-25T12:57:46.000000000Z", "only")).ok());
    ASSERT_TRUE(logs.finish().ok());
    EXPECT_EQ(lines, (Lines{{OutputStream::Stdout, "only"}}));
}

}  // namespace
}  // namespace kfrun::docker
