// PullProgressText: what the console prints of a pull, on a terminal and in a log.
#include <gtest/gtest.h>

#include "cli/pull_progress_text.hpp"

namespace kfrun::cli {
namespace {

engine::PullProgress at(long long ms, std::uint64_t done, std::uint64_t total, int layers_done,
                        int layers_total, bool finished = false) {
    engine::PullProgress progress;
    progress.image = "r:5000/big:1";
    progress.elapsed = engine::Millis(ms);
    progress.bytes_done = done;
    progress.bytes_total = total;
    progress.layers_done = layers_done;
    progress.layers_total = layers_total;
    progress.finished = finished;
    return progress;
}

TEST(PullProgressText, PlainOutputHasAFewLinesPerImage) {
    PullProgressText text(false);
    std::vector<std::string> lines;
    const auto add = [&](const engine::PullProgress& progress) {
        if (auto line = text.on_progress(progress); !line.empty()) {
            lines.push_back(line);
        }
    };
    add(at(0, 0, 0, 0, 0));
    for (int i = 1; i <= 100; ++i) {  // 100 events over 5 s: quarters only
        add(at(i * 50, std::uint64_t(i) * 1'000'000, 100'000'000, i / 40, 3));
    }
    add(at(5'100, 100'000'000, 100'000'000, 3, 3, true));
    ASSERT_EQ(lines.size(), 5u) << ::testing::PrintToString(lines);
    EXPECT_EQ(lines[0], "  ⇣ r:5000/big:1  pulling\n");
    EXPECT_EQ(lines[1].rfind("  ⇣ r:5000/big:1  pulling: 23.8 MiB of 95.4 MiB, 0/3 layers, ", 0),
              0u)
        << lines[1];
    EXPECT_NE(lines[1].find("/s\n"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[4].rfind("  ⇣ r:5000/big:1  pulled in 5.1 s (95.4 MiB of 95.4 MiB, 3/3 "
                             "layers, ",
                             0),
              0u)
        << lines[4];
}

TEST(PullProgressText, PlainOutputSaysSomethingEveryTenSeconds) {
    PullProgressText text(false);
    EXPECT_FALSE(text.on_progress(at(0, 0, 0, 0, 1)).empty());
    EXPECT_TRUE(text.on_progress(at(9'000, 10, 0, 0, 1)).empty());
    EXPECT_FALSE(text.on_progress(at(10'000, 20, 0, 0, 1)).empty());
    EXPECT_TRUE(text.on_progress(at(12'000, 30, 0, 0, 1)).empty());
}

TEST(PullProgressText, AFailedPullSaysSo) {
    PullProgressText text(false);
    EXPECT_EQ(text.on_progress(at(0, 0, 0, 0, 0)), "  ⇣ r:5000/big:1  pulling\n");
    auto failed = at(300, 0, 0, 0, 0, true);
    failed.failed = true;
    EXPECT_EQ(text.on_progress(failed), "  ⇣ r:5000/big:1  pull failed after 0.3 s\n");
}

TEST(PullProgressText, ATerminalGetsOneRedrawnLine) {
    PullProgressText text(true);
    EXPECT_EQ(text.clear_line(), "");
    const std::string first = text.on_progress(at(0, 0, 0, 0, 2));
    EXPECT_EQ(first, "\r\033[K  ⇣ r:5000/big:1  pulling: 0 B, 0/2 layers");
    EXPECT_EQ(text.clear_line(), "\r\033[K");
    EXPECT_EQ(text.clear_line(), "");
    const std::string done = text.on_progress(at(2'000, 2048, 2048, 2, 2, true));
    EXPECT_EQ(done.back(), '\n');
    EXPECT_EQ(text.clear_line(), "");
}

}  // namespace
}  // namespace kfrun::cli
