#pragma once
// LogFileObserver: a silent RunObserver for runs whose progress is shown elsewhere (`kfrun
// test` runs cases side by side): it keeps each step's log in <log_dir>/<node id>.log, with
// the steps.tsv index `kfrun logs` reads, and collects warnings instead of printing them.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/run_observer.hpp"

namespace kfrun::cli {

class LogFileObserver : public engine::RunObserver {
public:
    explicit LogFileObserver(std::filesystem::path log_dir);

    void on_node_finished(const engine::RunState& state, const engine::Node& node) override;
    void on_log_line(const std::string& node_id, const std::string& label,
                     engine::LogStream stream, std::string_view line) override;
    void on_warning(const std::string& message) override;

    std::filesystem::path log_file(const std::string& node_id) const;
    std::vector<std::string> warnings() const;

private:
    std::filesystem::path m_log_dir;
    mutable std::mutex m_mutex;
    std::map<std::string, std::unique_ptr<std::ofstream>> m_logs;
    std::vector<std::string> m_warnings;
};

}  // namespace kfrun::cli
