#pragma once
// PullProgressText: what the console shows of image pulls. On a terminal one line that is
// redrawn in place ("\r", erase line); otherwise a few plain lines per image: when the pull
// starts, each time it passes another quarter of the known bytes or 10 s went by, and when it
// ends. Pure: time is the events' own `elapsed`.
#include <map>
#include <string>

#include "engine/container_runtime.hpp"

namespace kfrun::cli {

// "12.3 MiB of 45.6 MiB, 3/5 layers, 4.1 MiB/s"
std::string describe_pull(const engine::PullProgress& progress);

class PullProgressText {
  public:
    explicit PullProgressText(bool refreshing) : m_refreshing(refreshing) {}

    // The text to write for this event ("" for none). Refreshing: a redraw without a newline,
    // and the final line of an image with one.
    std::string on_progress(const engine::PullProgress& progress);
    // Before other output on a terminal: the text that erases a drawn progress line ("" when
    // none is shown). The next event draws it again.
    std::string clear_line();

  private:
    struct Shown {
        int quarters = 0;       // quarters of the bytes already announced
        long long last_ms = 0;  // elapsed at the last printed line
    };
    bool m_refreshing;
    bool m_line_drawn = false;
    std::map<std::string, Shown> m_images;
};

}  // namespace kfrun::cli
