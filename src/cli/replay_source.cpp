#include "cli/replay_source.hpp"

namespace kfrun::cli {

std::map<std::string, std::string> resolved_parameters(
    const model::Workflow& workflow,
    const std::vector<std::pair<std::string, std::string>>& overrides) {
    std::map<std::string, std::string> out;
    for (const model::Parameter& parameter : workflow.arguments.parameters) {
        if (parameter.value) {
            out[parameter.name] = *parameter.value;
        }
    }
    for (const auto& [name, value] : overrides) {
        out[name] = value;
    }
    return out;
}

base::Result<store::RunRecord> find_replay_source(
    store::RunIndex& runs, const std::string& pipeline_file,
    const std::map<std::string, std::string>& parameters) {
    auto listed = runs.list(0);
    KFRUN_TRY(listed);
    for (store::RunRecord& run : *listed) {
        const nlohmann::json& s = run.summary;
        if (!s.contains("pipeline") || s["pipeline"].value("file", "") != pipeline_file ||
            s.value("status", "") == "Running") {
            continue;
        }
        std::map<std::string, std::string> theirs;
        if (s.contains("parameters")) {
            for (auto it = s["parameters"].begin(); it != s["parameters"].end(); ++it) {
                theirs[it.key()] = it.value().get<std::string>();
            }
        }
        if (theirs == parameters) {
            return std::move(run);
        }
    }
    return base::make_error(base::ErrorKind::Input,
                            "no earlier run of " + pipeline_file +
                                " with these parameters to take upstream outputs from; run it "
                                "once in full (or give --reuse-run RUN)");
}

std::map<std::string, engine::PreviousResult> previous_results(const nlohmann::json& report) {
    std::map<std::string, engine::PreviousResult> out;
    std::string workflow = report.value("workflowName", "");
    const nlohmann::json steps = report.value("steps", nlohmann::json::array());
    for (const auto& step : steps) {
        std::string name = step.value("nodeName", "");
        if (name.size() > workflow.size() + 1 && name.compare(0, workflow.size(), workflow) == 0) {
            name = name.substr(workflow.size() + 1);
        }
        engine::PreviousResult result;
        std::string phase = step.value("phase", "");
        result.phase = phase == "Succeeded" ? engine::NodePhase::Succeeded : engine::NodePhase::Failed;
        const nlohmann::json outputs = step.value("outputs", nlohmann::json::object());
        const nlohmann::json parameters = outputs.value("parameters", nlohmann::json::object());
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            result.outputs.parameters.emplace_back(it.key(), it.value().get<std::string>());
        }
        for (const auto& artifact : outputs.value("artifacts", nlohmann::json::array())) {
            engine::NamedArtifact named;
            named.name = artifact.value("name", "");
            named.path = artifact.value("path", "");
            named.artifact.kind = artifact.value("kind", "file") == "directory"
                                      ? engine::ArtifactRef::Kind::Directory
                                      : engine::ArtifactRef::Kind::File;
            named.artifact.digest = artifact.value("sha256", "");
            named.artifact.size = artifact.value("size", std::uint64_t{0});
            named.artifact.file_count = artifact.value("files", std::uint64_t{1});
            result.outputs.artifacts.push_back(std::move(named));
        }
        if (outputs.contains("result")) {
            result.outputs.result = outputs["result"].get<std::string>();
        }
        if (step.contains("exitCode") && step["exitCode"].is_number()) {
            result.outputs.exit_code = step["exitCode"].get<int>();
        }
        out[name] = std::move(result);
    }
    return out;
}

}  // namespace kfrun::cli
