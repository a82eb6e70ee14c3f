#pragma once
// ConsoleObserver: live progress of a run on the terminal — a line when a step starts and
// ends, its log lines prefixed with its name — and each step's log kept in a file.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "cli/pull_progress_text.hpp"
#include "cli/terminal.hpp"
#include "engine/run_observer.hpp"

namespace kfrun::cli {

struct ConsoleOptions {
    bool show_logs = true;
    bool verbose = false;
    bool explain = false;  // print why each step missed the cache
    std::filesystem::path log_dir;  // empty: no log files
};

class ConsoleObserver : public engine::RunObserver {
public:
    ConsoleObserver(Terminal terminal, ConsoleOptions options);
    ~ConsoleObserver() override;

    void on_node_started(const engine::RunState& state, const engine::Node& node) override;
    void on_node_finished(const engine::RunState& state, const engine::Node& node) override;
    void on_log_line(const std::string& node_id, const std::string& label,
                     engine::LogStream stream, std::string_view line) override;
    void on_warning(const std::string& message) override;
    // One redrawn line per pull on a terminal, a few plain lines otherwise (PullProgressText).
    void on_pull_progress(const engine::PullProgress& progress) override;

    // The log file of a node (empty when there is none).
    std::filesystem::path log_file(const std::string& node_id) const;

private:
    std::string pad(const std::string& label) const;
    // Erases a drawn pull progress line before other output (under m_mutex).
    void clear_progress_line();

    Terminal m_terminal;
    ConsoleOptions m_options;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<std::ofstream>> m_logs;
    PullProgressText m_pulls;  // under m_mutex
};

}  // namespace kfrun::cli
