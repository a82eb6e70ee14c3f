#include "cli/pull_progress_text.hpp"

#include <algorithm>

#include "base/visible_text.hpp"
#include "cli/size_text.hpp"

namespace kfrun::cli {
namespace {

constexpr long long k_plain_interval_ms = 10'000;
constexpr const char* k_erase_line = "\r\033[K";

std::string speed(const engine::PullProgress& progress) {
    const long long ms = progress.elapsed.count();
    if (ms <= 0 || progress.bytes_done == 0) {
        return "";
    }
    return ", " + human_bytes(progress.bytes_done * 1000 / static_cast<std::uint64_t>(ms)) + "/s";
}

std::string header(const engine::PullProgress& progress) {
    return "  ⇣ " + base::visible_text(progress.image) + "  ";
}

}  // namespace

std::string describe_pull(const engine::PullProgress& progress) {
    std::string text = human_bytes(progress.bytes_done);
    if (progress.bytes_total > 0) {
        text += " of " + human_bytes(progress.bytes_total);
    }
    text += ", " + std::to_string(progress.layers_done) + "/" +
            std::to_string(progress.layers_total) + " layers";
    return text + speed(progress);
}

std::string PullProgressText::on_progress(const engine::PullProgress& progress) {
    const bool first = m_images.count(progress.image) == 0;
    Shown& shown = m_images[progress.image];
    const long long now_ms = progress.elapsed.count();
    std::string line;
    if (progress.finished) {
        const std::string seconds =
            std::to_string(now_ms / 100 / 10) + "." + std::to_string(now_ms / 100 % 10) + " s";
        line = header(progress) +
               (progress.failed ? "pull failed after " + seconds
                                : "pulled in " + seconds + " (" + describe_pull(progress) + ")");
        m_images.erase(progress.image);
        if (m_refreshing) {
            m_line_drawn = false;
            return k_erase_line + line + "\n";
        }
        return line + "\n";
    }
    if (m_refreshing) {
        m_line_drawn = true;
        return k_erase_line + header(progress) + "pulling: " + describe_pull(progress);
    }
    int quarters = 0;
    if (progress.bytes_total > 0) {
        const auto done = std::min(progress.bytes_done, progress.bytes_total);
        quarters = static_cast<int>(done * 4 / progress.bytes_total);
    }
    if (first) {
        shown.last_ms = now_ms;
        shown.quarters = quarters;
        return header(progress) + "pulling\n";
    }
    if ((quarters > shown.quarters && quarters < 4) ||
        now_ms - shown.last_ms >= k_plain_interval_ms) {
        shown.quarters = std::max(shown.quarters, quarters);
        shown.last_ms = now_ms;
        return header(progress) + "pulling: " + describe_pull(progress) + "\n";
    }
    return "";
}

std::string PullProgressText::clear_line() {
    if (!m_line_drawn) {
        return "";
    }
    m_line_drawn = false;
    return k_erase_line;
}

}  // namespace kfrun::cli
