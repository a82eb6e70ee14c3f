#pragma once
// StepLogs: what run_step keeps of a container's multiplexed log stream. It demultiplexes the
// frames, hands every line to a sink (the StepObserver) and keeps the tails the outcome reports:
// the last bytes of stdout (Argo's outputs.result) and the last lines of both streams.
//
// Catch-up: Engine 20.10's logs?follow=1 can end before the last records reach it
// (moby/moby#43860: a final line without '\n' is lost about one time in three here). With
// timestamps on, begin_catch_up() returns a `since` for one non-follow logs request after the
// exit and makes feed() skip the records of that answer the followed stream already delivered:
// those with a timestamp no older than the newest seen minus 1 s. Pure: no I/O.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "docker/frame_demuxer.hpp"
#include "docker/line_splitter.hpp"

namespace kfrun::docker {

class StepLogs {
  public:
    using LineSink = std::function<void(OutputStream stream, std::string_view line)>;

    struct Options {
        std::size_t stdout_tail_bytes = std::size_t{256} * 1024 + 1;  // Argo trims, then keeps 256 KiB
        std::size_t tail_lines = 64;
        // Each frame's payload starts with "<RFC 3339 timestamp> " (logs?timestamps=1).
        bool timestamps = false;
    };
    static constexpr std::size_t k_max_tail_line = 4096;  // longer lines are cut in log_tail

    explicit StepLogs(LineSink sink) : StepLogs(std::move(sink), Options{}) {}
    StepLogs(LineSink sink, Options options);
    StepLogs(const StepLogs&) = delete;
    StepLogs& operator=(const StepLogs&) = delete;

    // Multiplexed bytes as they arrive. An error when the daemon reported one in-band.
    base::Result<void> feed(std::string_view bytes);
    // The end of all streams: flushes partial lines; an error when one ended inside a frame.
    base::Result<void> finish();

    // Switches to the catch-up stream. Returns its `since` parameter ("" = ask for all).
    std::string begin_catch_up();

    // The last stdout_tail_bytes bytes of stdout, exactly as written.
    std::string stdout_tail() const;
    // The last tail_lines lines of stdout and stderr in arrival order, each ending in '\n'.
    std::string log_tail() const;

  private:
    void on_piece(OutputStream stream, std::string_view payload, bool frame_start);
    void on_record_timestamp(std::string_view text);
    void on_payload(OutputStream stream, std::string_view payload);
    void on_line(OutputStream stream, std::string_view line);

    LineSink m_sink;
    Options m_options;
    FrameDemuxer m_demuxer;
    LineSplitter m_stdout_lines;
    LineSplitter m_stderr_lines;
    std::string m_stdout_tail;  // may hold up to 2x the limit before it is trimmed
    std::deque<std::string> m_lines;

    // The current frame.
    bool m_in_timestamp = false;  // still reading its "<timestamp> " prefix
    std::string m_timestamp;
    bool m_skip_frame = false;
    // Record timestamps of the last ~2 s (ns since the epoch), the newest, and catch-up skips.
    std::deque<std::int64_t> m_recent;
    std::optional<std::int64_t> m_newest;
    std::size_t m_skip_records = 0;
};

}  // namespace kfrun::docker
