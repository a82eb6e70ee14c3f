#pragma once
// FrameDemuxer: splits Docker's multiplexed log/attach stream (Tty=false) into stdout/stderr.
//
// Each frame is an 8-byte header [type, 0, 0, 0, size as big-endian uint32] and `size` bytes of
// payload. Types: 0 stdin (treated as stdout), 1 stdout, 2 stderr, 3 an error the daemon
// reports in-band ("Error grabbing logs: ..."). Frames span reads arbitrarily: feed() takes
// whatever arrived and hands payload on as soon as it is there, possibly in several pieces.
// Pure: no I/O.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

enum class OutputStream { Stdout, Stderr };

class FrameDemuxer {
  public:
    // Receives payload bytes of stdout/stderr frames, in stream order. `frame_start` is true for
    // the first piece of each frame (a frame's pieces follow each other without interleaving).
    using Sink =
        std::function<void(OutputStream stream, std::string_view payload, bool frame_start)>;

    explicit FrameDemuxer(Sink sink) : m_sink(std::move(sink)) {}

    // Consumes `data`. An error for a type-3 frame (its text is the message, reported once
    // the frame is complete) or an unknown frame type; the demuxer stays failed afterwards.
    base::Result<void> feed(std::string_view data);
    // Call at the end of the stream: an error when it ended inside a frame.
    base::Result<void> finish() const;
    // Forgets the current stream's state (to read another stream with the same sink).
    void reset();

  private:
    base::Result<void> fail(std::string message);

    Sink m_sink;
    std::array<unsigned char, 8> m_header{};
    std::size_t m_header_size = 0;  // header bytes collected so far
    std::uint32_t m_remaining = 0;  // payload bytes of the current frame still to come
    std::uint8_t m_type = 0;
    bool m_frame_start = false;    // the next payload piece is the first of its frame
    std::string m_system_message;  // the payload of a type-3 frame, collected whole
    std::string m_failure;         // set once a feed() failed
};

}  // namespace kfrun::docker
