#include "cli/step_lookup.hpp"

#include <vector>

#include "base/json_fields.hpp"

namespace kfrun::cli {

namespace {

// The report is kfrun's file, but it may be damaged or edited: fields are read with defaults.
using base::json_fields::string_of;

std::string label_of(const nlohmann::json& step) {
    return string_of(step, "label", string_of(step, "name"));
}

std::string listing(const std::vector<const nlohmann::json*>& steps) {
    std::string out;
    for (const nlohmann::json* step : steps) {
        out += "\n  " + label_of(*step) + "  (" + string_of(*step, "id") + ", " +
               string_of(*step, "phase") + ")";
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
            if (!step.is_object()) {
                continue;
            }
            all.push_back(&step);
            std::string label = label_of(step);
            if (wanted == string_of(step, "id") || wanted == label ||
                wanted == string_of(step, "nodeName")) {
                exact.push_back(&step);
                continue;
            }
            std::size_t slash = label.rfind('/');
            if (wanted == string_of(step, "name") ||
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
                                                            string_of(report, "runId") +
                                                            "; its steps are:" + listing(all));
    }
    return base::make_error(base::ErrorKind::Input,
                            "`" + wanted + "` names " + std::to_string(found.size()) +
                                " steps of run " + string_of(report, "runId") +
                                "; give a label or an ID:" + listing(found));
}

}  // namespace kfrun::cli
