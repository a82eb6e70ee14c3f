#include "report_fixture.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace kfrun::test_support {
namespace {

nlohmann::json read(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot open " + path.string());
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& error) {
        throw std::runtime_error(path.string() + ": " + error.what());
    }
}

}  // namespace

nlohmann::json load_report_fixture(const std::filesystem::path& dir) {
    nlohmann::json report = read(dir / "run.json");
    report["nodes"] = read(dir / "nodes.json");
    std::vector<std::filesystem::path> step_files;
    for (const auto& entry : std::filesystem::directory_iterator(dir / "steps")) {
        if (entry.path().extension() == ".json")
            step_files.push_back(entry.path());
    }
    if (step_files.empty())
        throw std::runtime_error("no step in " + (dir / "steps").string());
    std::sort(step_files.begin(), step_files.end());
    report["steps"] = nlohmann::json::array();
    for (const auto& file : step_files)
        report["steps"].push_back(read(file));
    return report;
}

}  // namespace kfrun::test_support
