#include "cli/console_observer.hpp"

#include <unistd.h>

#include <iostream>

#include "base/time.hpp"
#include "base/tsv_field.hpp"
#include "base/visible_text.hpp"
#include "base/private_files.hpp"
#include "cli/log_stream.hpp"

namespace kfrun::cli {

using engine::NodePhase;
using engine::NodeType;

ConsoleObserver::ConsoleObserver(Terminal terminal, ConsoleOptions options)
    : m_terminal(terminal), m_options(std::move(options)), m_pulls(::isatty(STDOUT_FILENO) == 1) {
    if (!m_options.log_dir.empty()) {
        (void)base::create_private_directories(m_options.log_dir);
    }
}

ConsoleObserver::~ConsoleObserver() = default;

std::string ConsoleObserver::pad(const std::string& label) const {
    constexpr std::size_t k_width = 28;
    return label.size() >= k_width ? label : label + std::string(k_width - label.size(), ' ');
}

std::filesystem::path ConsoleObserver::log_file(const std::string& node_id) const {
    if (m_options.log_dir.empty()) {
        return {};
    }
    return m_options.log_dir / step_log_file_name(node_id);
}

void ConsoleObserver::on_node_started(const engine::RunState& state, const engine::Node& node) {
    if (node.type != NodeType::Pod) {
        return;
    }
    std::lock_guard lock(m_mutex);
    clear_progress_line();
    // Step-controlled text (a label holds loop item values; messages, log lines and cache
    // reasons hold step output) is shown with its control characters visible, never sent.
    std::cout << "  " << m_terminal.blue("▶") << " "
              << pad(base::visible_text(engine::step_label(state, node))) << " "
              << m_terminal.dim("started") << "\n"
              << std::flush;
}

void ConsoleObserver::on_node_finished(const engine::RunState& state, const engine::Node& node) {
    if (node.type != NodeType::Pod && node.type != NodeType::Skipped) {
        if (!m_options.verbose || node.type == NodeType::StepGroup) {
            return;
        }
    }
    auto elapsed = std::chrono::duration_cast<base::Millis>(node.finished_at - node.started_at);
    std::string symbol;
    std::string phase = engine::to_string(node.phase);
    switch (node.phase) {
        case NodePhase::Succeeded:
            symbol = m_terminal.green("✔");
            break;
        case NodePhase::Failed:
        case NodePhase::Error:
            symbol = m_terminal.red("✘");
            phase = m_terminal.red(phase);
            break;
        default:
            symbol = m_terminal.yellow("⊘");
            phase = m_terminal.yellow(phase);
            break;
    }
    std::string detail;
    bool hit = node.step && node.step->cache == engine::CacheOutcome::Hit;
    if (node.step && node.step->cache == engine::CacheOutcome::Reused) {
        detail += " " + m_terminal.cyan("reused") +
                  m_terminal.dim(" (from run " + node.step->reused_from_run.substr(0, 8) + ")");
    } else if (hit) {
        detail += " " + m_terminal.cyan("cached") +
                  m_terminal.dim(" (saved " + base::format_duration(node.step->cache_saved) + ")");
    } else if (node.type == NodeType::Pod && engine::is_completed(node.phase)) {
        detail += " " + m_terminal.dim(base::format_duration(elapsed));
    }
    if (!node.message.empty()) {
        const std::string message = base::visible_text(node.message);
        detail += "  " + (engine::is_failed_or_error(node.phase) ? m_terminal.red(message)
                                                                 : m_terminal.dim(message));
    }
    std::lock_guard lock(m_mutex);
    clear_progress_line();
    std::cout << "  " << symbol << " " << pad(base::visible_text(engine::step_label(state, node)))
              << " " << phase << detail << "\n";
    if (m_options.explain && node.step && node.step->cache == engine::CacheOutcome::Miss) {
        for (const std::string& reason : node.step->cache_explanation) {
            std::cout << "      " << m_terminal.dim("cache miss: " + base::visible_text(reason))
                      << "\n";
        }
    }
    if (node.step && engine::is_failed_or_error(node.phase) && !m_options.show_logs &&
        !node.step->log_tail.empty()) {
        std::cout << m_terminal.dim("    last log lines:") << "\n";
        std::string tail = node.step->log_tail;
        std::size_t start = 0;
        while (start < tail.size()) {
            std::size_t end = tail.find('\n', start);
            std::cout << "    " << base::visible_text(tail.substr(start, end - start)) << "\n";
            if (end == std::string::npos) {
                break;
            }
            start = end + 1;
        }
    }
    std::cout << std::flush;
    m_logs.erase(node.id);  // closes the log file
}

void ConsoleObserver::on_log_line(const std::string& node_id, const std::string& label,
                                  engine::LogStream stream, std::string_view line) {
    std::lock_guard lock(m_mutex);
    if (!m_options.log_dir.empty()) {
        const bool first = m_logs.count(node_id) == 0;  // a refused log is not retried
        auto& file = m_logs[node_id];
        if (first) {
            std::string problem;
            file = open_log_stream(m_options.log_dir / step_log_file_name(node_id), &problem);
            // The index `kfrun logs` reads: which file is which step.
            if (auto tsv = open_log_stream(m_options.log_dir / "steps.tsv", &problem)) {
                *tsv << node_id << '\t' << base::escape_tsv_field(label) << '\n';
            }
            if (!problem.empty()) {
                std::cerr << m_terminal.yellow("warning: ") << "step log not written: " << problem
                          << "\n";
            }
        }
        if (file) {
            *file << line << '\n';
        }
    }
    if (m_options.show_logs) {
        clear_progress_line();
        std::string prefix = "[" + base::visible_text(label) + "]";
        prefix = stream == engine::LogStream::Stderr ? m_terminal.yellow(prefix)
                                                     : m_terminal.dim(prefix);
        std::cout << "    " << prefix << " " << base::visible_text(line) << "\n" << std::flush;
    }
}

void ConsoleObserver::on_warning(const std::string& message) {
    std::lock_guard lock(m_mutex);
    clear_progress_line();
    std::cerr << m_terminal.yellow("warning: ") << base::visible_text(message) << "\n";
}

void ConsoleObserver::on_pull_progress(const engine::PullProgress& progress) {
    std::lock_guard lock(m_mutex);
    const std::string text = m_pulls.on_progress(progress);
    if (!text.empty()) {
        std::cout << text << std::flush;
    }
}

void ConsoleObserver::clear_progress_line() {
    if (const std::string erase = m_pulls.clear_line(); !erase.empty()) {
        std::cout << erase << std::flush;
    }
}

}  // namespace kfrun::cli
