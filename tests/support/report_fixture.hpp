#pragma once
// load_report_fixture: a report.json kept as one file per part of it, put back together.
#include <filesystem>

#include <nlohmann/json.hpp>

namespace kfrun::test_support {

// `dir` holds run.json (the report without "nodes" and "steps"), nodes.json (the "nodes"
// array) and steps/*.json (one step each, in file-name order). Returns the report as kfrun
// writes it; throws std::runtime_error naming the file that is missing or not JSON.
nlohmann::json load_report_fixture(const std::filesystem::path& dir);

}  // namespace kfrun::test_support
