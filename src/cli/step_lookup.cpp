#include "cli/step_lookup.hpp"

#include <vector>

namespace kfrun::cli {

namespace {

std::string label_of(const nlohmann::json& step) {
    return step.value("label", step.value("name", ""));
}

std::string listing(const std::vector<const nlohmann::json*>& steps) {
    std::string out;
    for (const nlohmann::json* step : steps) {
        out += "\n  " + label_of(*step) + "  (" + step->value("id", "") + ", " +
               step->value("phase", "") + ")";
    }
    return out;
}

}  // namespace

base::Result<nlohmann::json> find_report_step(const nlohmann::json& report,
                                              const std::string& wanted) {
    std::vector<const nlohmann::json*> all;
    std::vector<const nlohmann::json*> exact;
    std::vector<const nlohmann::json*> loose;
    if (report.contains("steps") && report["steps"].is_array()) {
        for (const nlohmann::json& step : report["steps"]) {
            all.push_back(&step);
            std::string label = label_of(step);
            if (wanted == step.value("id", "") || wanted == label ||
                wanted == step.value("nodeName", "")) {
                exact.push_back(&step);
                continue;
            }
            std::size_t slash = label.rfind('/');
            if (wanted == step.value("name", "") ||
                (slash != std::string::npos && label.substr(slash + 1) == wanted)) {
                loose.push_back(&step);
            }
        }
    }
    const auto& found = exact.empty() ? loose : exact;
    if (found.size() == 1) {
        return *found.front();
    }
    if (found.empty()) {
        return base::make_error(base::ErrorKind::Input, "no step `" + wanted + "` in run " +
                                                            report.value("runId", "") +
                                                            "; its steps are:" + listing(all));
    }
    return base::make_error(base::ErrorKind::Input,
                            "`" + wanted + "` names " + std::to_string(found.size()) +
                                " steps of run " + report.value("runId", "") +
                                "; give a label or an ID:" + listing(found));
}

}  // namespace kfrun::cli
