#include "docker/line_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kfrun::docker {
namespace {

TEST(LineSplitter, JoinsPartialLinesAcrossPieces) {
    std::vector<std::string> lines;
    LineSplitter splitter([&](std::string_view line) { lines.emplace_back(line); });
    splitter.feed("par");
    splitter.feed("tial\nwhole\n\nnext");
    splitter.feed(" part");
    EXPECT_EQ(lines, (std::vector<std::string>{"partial", "whole", ""}));
    splitter.finish();
    EXPECT_EQ(lines.back(), "next part");
    splitter.finish();
    EXPECT_EQ(lines.size(), 4u);
}

TEST(LineSplitter, CutsOverlongLines) {
    std::vector<std::string> lines;
    LineSplitter splitter([&](std::string_view line) { lines.emplace_back(line); }, 4);
    splitter.feed("abc");
    splitter.feed("defghij\nk");
    splitter.finish();
    EXPECT_EQ(lines, (std::vector<std::string>{"abcd", "efgh", "ij", "k"}));
}

}  // namespace
}  // namespace kfrun::docker
