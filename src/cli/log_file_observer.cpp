#include "cli/log_file_observer.hpp"

#include "base/tsv_field.hpp"
#include "base/private_files.hpp"
#include "cli/log_stream.hpp"

namespace kfrun::cli {

LogFileObserver::LogFileObserver(std::filesystem::path log_dir) : m_log_dir(std::move(log_dir)) {
    (void)base::create_private_directories(m_log_dir);
}

std::filesystem::path LogFileObserver::log_file(const std::string& node_id) const {
    return m_log_dir / step_log_file_name(node_id);
}

void LogFileObserver::on_node_finished(const engine::RunState& state, const engine::Node& node) {
    std::lock_guard lock(m_mutex);
    m_logs.erase(node.id);  // closes the log file
}

void LogFileObserver::on_log_line(const std::string& node_id, const std::string& label,
                                  engine::LogStream stream, std::string_view line) {
    std::lock_guard lock(m_mutex);
    const bool first = m_logs.count(node_id) == 0;  // a refused log is not retried
    auto& file = m_logs[node_id];
    if (first) {
        std::string problem;
        file = open_log_stream(log_file(node_id), &problem);
        if (auto tsv = open_log_stream(m_log_dir / "steps.tsv", &problem)) {
            *tsv << node_id << '\t' << base::escape_tsv_field(label) << '\n';
        }
        if (!problem.empty()) {
            m_warnings.push_back("step log not written: " + problem);
        }
    }
    if (file) {
        *file << line << '\n';
    }
}

void LogFileObserver::on_warning(const std::string& message) {
    std::lock_guard lock(m_mutex);
    m_warnings.push_back(message);
}

std::vector<std::string> LogFileObserver::warnings() const {
    std::lock_guard lock(m_mutex);
    return m_warnings;
}

}  // namespace kfrun::cli
