#include "docker/frame_demuxer.hpp"

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
    out[4] = static_cast<char>((size >> 24) & 0xff);
    out[5] = static_cast<char>((size >> 16) & 0xff);
    out[6] = static_cast<char>((size >> 8) & 0xff);
    out[7] = static_cast<char>(size & 0xff);
    return out + std::string(payload);
}

struct Collected {
    std::string out;
    std::string err;
    std::vector<std::pair<OutputStream, std::string>> pieces;
};

FrameDemuxer::Sink collect_into(Collected& collected) {
    return [&collected](OutputStream stream, std::string_view payload, bool) {
        (stream == OutputStream::Stdout ? collected.out : collected.err) += payload;
        collected.pieces.emplace_back(stream, std::string(payload));
    };
}

TEST(FrameDemuxer, SplitsStdoutAndStderrFramesInOrder) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    ASSERT_TRUE(demuxer.feed(frame(1, "out1\n") + frame(2, "err1\n") + frame(1, "partial")).ok());
    ASSERT_TRUE(demuxer.finish().ok());
    EXPECT_EQ(got.out, "out1\npartial");
    EXPECT_EQ(got.err, "err1\n");
    ASSERT_EQ(got.pieces.size(), 3u);
    EXPECT_EQ(got.pieces[1].first, OutputStream::Stderr);
}

TEST(FrameDemuxer, HandlesFramesSpanningReadsAtEveryCutPoint) {
    const std::string stream =
        frame(1, "hello\n") + frame(2, "") + frame(2, "oops\n") + frame(1, std::string(40000, 'x'));
    for (std::size_t cut = 0; cut <= stream.size(); cut += (cut < 64 ? 1 : 997)) {
        Collected got;
        FrameDemuxer demuxer(collect_into(got));
        ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(0, cut)).ok());
        ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(cut)).ok());
        ASSERT_TRUE(demuxer.finish().ok()) << "cut at " << cut;
        EXPECT_EQ(got.out, "hello\n" + std::string(40000, 'x')) << "cut at " << cut;
        EXPECT_EQ(got.err, "oops\n") << "cut at " << cut;
    }
}

TEST(FrameDemuxer, HandlesOneByteAtATime) {
    const std::string stream = frame(1, "a\nb") + frame(2, "c\n") + frame(0, "stdin-as-out");
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    for (const char c : stream) {
        ASSERT_TRUE(demuxer.feed(std::string_view(&c, 1)).ok());
    }
    EXPECT_TRUE(demuxer.finish().ok());
    EXPECT_EQ(got.out, "a\nbstdin-as-out");
    EXPECT_EQ(got.err, "c\n");
}

TEST(FrameDemuxer, ReportsTheDaemonsTypeThreeErrorOnceTheFrameIsComplete) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    const std::string stream = frame(1, "before\n") + frame(3, "Error grabbing logs: boom");
    ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(0, stream.size() - 4)).ok());
    const auto result = demuxer.feed(std::string_view(stream).substr(stream.size() - 4));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, base::ErrorKind::Docker);
    EXPECT_NE(result.error().message.find("Error grabbing logs: boom"), std::string::npos);
    EXPECT_EQ(got.out, "before\n");
    EXPECT_FALSE(demuxer.feed(frame(1, "after\n")).ok());  // stays failed
    EXPECT_FALSE(demuxer.finish().ok());
}

TEST(FrameDemuxer, MarksTheFirstPieceOfEachFrame) {
    std::vector<bool> starts;
    FrameDemuxer demuxer(
        [&](OutputStream, std::string_view, bool frame_start) { starts.push_back(frame_start); });
    const std::string stream = frame(1, "abcdef") + frame(2, "gh");
    ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(0, 11)).ok());  // "abc"
    ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(11)).ok());     // "def", "gh"
    EXPECT_EQ(starts, (std::vector<bool>{true, false, true}));
}

TEST(FrameDemuxer, ResetStartsAFreshStream) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    ASSERT_TRUE(demuxer.feed(frame(1, "cut short").substr(0, 10)).ok());
    demuxer.reset();
    ASSERT_TRUE(demuxer.feed(frame(2, "next\n")).ok());
    EXPECT_TRUE(demuxer.finish().ok());
    EXPECT_EQ(got.err, "next\n");
}

TEST(FrameDemuxer, RejectsUnknownFrameTypes) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    const auto result = demuxer.feed("out1\r\nerr1\r\n");  // a TTY stream has no headers
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("unknown frame type"), std::string::npos);
}

TEST(FrameDemuxer, FinishFailsWhenTheStreamEndsInsideAFrame) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    const std::string stream = frame(1, "truncated");
    ASSERT_TRUE(demuxer.feed(std::string_view(stream).substr(0, 10)).ok());
    EXPECT_EQ(got.out, "tr");
    const auto result = demuxer.finish();
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("7 bytes missing"), std::string::npos);

    FrameDemuxer header_only(collect_into(got));
    ASSERT_TRUE(header_only.feed(std::string_view(stream).substr(0, 5)).ok());
    EXPECT_FALSE(header_only.finish().ok());
}

TEST(FrameDemuxer, AcceptsAnEmptyStream) {
    Collected got;
    FrameDemuxer demuxer(collect_into(got));
    EXPECT_TRUE(demuxer.feed("").ok());
    EXPECT_TRUE(demuxer.finish().ok());
    EXPECT_TRUE(got.pieces.empty());
}

}  // namespace
}  // namespace kfrun::docker
