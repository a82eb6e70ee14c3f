#include "cli/log_file_observer.hpp"

#include "base/tsv_field.hpp"

namespace kfrun::cli {

LogFileObserver::LogFileObserver(std::filesystem::path log_dir) : m_log_dir(std::move(log_dir)) {
    std::error_code ignored;
    std::filesystem::create_directories(m_log_dir, ignored);
}

std::filesystem::path LogFileObserver::log_file(const std::string& node_id) const {
    return m_log_dir / (node_id + ".log");
}

void LogFileObserver::on_node_finished(const engine::RunState& state, const engine::Node& node) {
    std::lock_guard lock(m_mutex);
    m_logs.erase(node.id);  // closes the log file
}

void LogFileObserver::on_log_line(const std::string& node_id, const std::string& label,
                                  engine::LogStream stream, std::string_view line) {
    std::lock_guard lock(m_mutex);
    auto& file = m_logs[node_id];
    if (!file) {
        file = std::make_unique<std::ofstream>(log_file(node_id), std::ios::app);
        std::ofstream(m_log_dir / "steps.tsv", std::ios::app)
            << node_id << '\t' << base::escape_tsv_field(label) << '\n';
    }
    *file << line << '\n';
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
