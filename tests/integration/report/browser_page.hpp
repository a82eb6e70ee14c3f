#pragma once
// What the browser tests share: run a pipeline with the kfrun binary, load the report.html it
// wrote in headless Chromium (the DOM after the page's script ran, and the console), take a
// screenshot, and cut the DOM into parts to assert on.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::report::testing {

inline const std::filesystem::path k_source = KFRUN_SOURCE_DIR;
inline const std::filesystem::path k_build = KFRUN_BINARY_DIR;
inline const char* const k_chromium = "/usr/bin/chromium";

// Why the browser tests cannot run here (no Docker daemon answers, no chromium), or empty.
std::string browser_test_skip_reason();

struct KfrunRun {
    std::string failure;  // empty when the run succeeded and left its report files
    std::string output;   // kfrun's stdout and stderr
    std::filesystem::path run_dir;
    std::filesystem::path data_dir;
    nlohmann::json report;
};
// `kfrun run pipeline --report-dir run_dir` with the fixture image map and its own data and
// cache directories under `work`, then reads run_dir/report.json.
KfrunRun run_kfrun(const std::filesystem::path& pipeline, const std::filesystem::path& run_dir,
                   const std::filesystem::path& work);

struct LoadedPage {
    std::string failure;  // empty when Chromium ran
    std::string dom;      // document.documentElement.outerHTML after the scripts ran
    std::string console;  // Chromium's log on stderr (console messages are ":CONSOLE" lines)
};
// `url` loaded in headless Chromium with a fresh profile `work`/`profile`.
LoadedPage load_page(const std::string& url, const std::filesystem::path& work,
                     const std::string& profile);
// A full-width screenshot of `url` into `png`; the failure, or empty.
std::string take_screenshot(const std::string& url, const std::filesystem::path& png,
                            const std::filesystem::path& work, int height);

// The console lines that are not expected: every ":CONSOLE" or "Uncaught" line, except (when
// `allow_sandboxed_frame`) those of the sandboxed web-app frame (source about:srcdoc).
std::vector<std::string> console_problems(const std::string& console, bool allow_sandboxed_frame);

std::string read_text(const std::filesystem::path& path);
// The part of `dom` from the first `start` to the end of the next `end` after it.
std::string section(const std::string& dom, const std::string& start, const std::string& end);
std::size_t count(const std::string& text, const std::string& needle);
// The attributes of the <body> start tag.
std::string body_tag(const std::string& dom);

}  // namespace kfrun::report::testing
