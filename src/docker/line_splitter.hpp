#pragma once
// LineSplitter: turns a byte stream into lines, however the bytes were cut into pieces.
// Pure: no I/O.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kfrun::docker {

class LineSplitter {
  public:
    // Receives each line without its '\n'.
    using Sink = std::function<void(std::string_view line)>;

    // A line longer than `max_line` is handed on in pieces of that size.
    explicit LineSplitter(Sink sink, std::size_t max_line = std::size_t{1024} * 1024)
        : m_sink(std::move(sink)), m_max_line(max_line) {}

    void feed(std::string_view data);
    // Hands on a trailing line that had no '\n' (call once at the end of the stream).
    void finish();

  private:
    Sink m_sink;
    std::size_t m_max_line;
    std::string m_partial;
};

}  // namespace kfrun::docker
