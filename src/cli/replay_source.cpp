#include "cli/replay_source.hpp"

#include <limits>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"

namespace kfrun::cli {

using base::json_fields::array_of;
using base::json_fields::member;
using base::json_fields::object_of;
using base::json_fields::string_of;

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
        if (string_of(member(s, "pipeline"), "file") != pipeline_file ||
            string_of(s, "status") == "Running") {
            continue;
        }
        std::map<std::string, std::string> theirs;
        for (const auto& [name, value] : object_of(s, "parameters").items()) {
            theirs[name] = value.is_string() ? value.get<std::string>() : base::json_text(value);
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

namespace {

base::Error damaged(const std::string& where, const std::string& what) {
    return base::make_error(base::ErrorKind::Io, "the report is damaged: " + where + " is " + what);
}

// One step's outputs as the report keeps them: parameters {name: text}, artifacts [{name, path,
// kind, sha256, size, files}], result.
base::Result<engine::NodeOutputs> step_outputs(const nlohmann::json& outputs,
                                               const std::string& where) {
    engine::NodeOutputs out;
    if (outputs.is_null()) {
        return out;
    }
    if (!outputs.is_object()) {
        return damaged(where, "not an object");
    }
    const nlohmann::json& parameters = member(outputs, "parameters");
    if (!parameters.is_null() && !parameters.is_object()) {
        return damaged(where + ".parameters", "not an object");
    }
    for (const auto& [name, value] : object_of(outputs, "parameters").items()) {
        if (!value.is_string()) {
            return damaged(where + ".parameters." + name, "not a string");
        }
        out.parameters.emplace_back(name, value.get<std::string>());
    }
    const nlohmann::json& artifacts = member(outputs, "artifacts");
    if (!artifacts.is_null() && !artifacts.is_array()) {
        return damaged(where + ".artifacts", "not a list");
    }
    std::size_t index = 0;
    for (const nlohmann::json& artifact : array_of(outputs, "artifacts")) {
        const std::string at = where + ".artifacts[" + std::to_string(index++) + "]";
        if (!member(artifact, "name").is_string() || !member(artifact, "sha256").is_string()) {
            return damaged(at, "not an artifact with a name and a sha256");
        }
        engine::NamedArtifact named;
        named.name = string_of(artifact, "name");
        named.path = string_of(artifact, "path");
        named.artifact.kind = string_of(artifact, "kind", "file") == "directory"
                                  ? engine::ArtifactRef::Kind::Directory
                                  : engine::ArtifactRef::Kind::File;
        named.artifact.digest = string_of(artifact, "sha256");
        named.artifact.size = base::json_fields::uint_of(artifact, "size");
        named.artifact.file_count = base::json_fields::uint_of(artifact, "files", 1);
        out.artifacts.push_back(std::move(named));
    }
    if (outputs.contains("result")) {
        if (!outputs["result"].is_string()) {
            return damaged(where + ".result", "not a string");
        }
        out.result = string_of(outputs, "result");
    }
    return out;
}

}  // namespace

base::Result<std::map<std::string, engine::PreviousResult>> previous_results(
    const nlohmann::json& report) {
    std::map<std::string, engine::PreviousResult> out;
    std::string workflow = string_of(report, "workflowName");
    const nlohmann::json& steps = member(report, "steps");
    if (!steps.is_null() && !steps.is_array()) {
        return damaged("steps", "not a list");
    }
    std::size_t index = 0;
    for (const auto& step : array_of(report, "steps")) {
        const std::string where = "steps[" + std::to_string(index++) + "]";
        if (!step.is_object()) {
            return damaged(where, "not an object");
        }
        std::string name = string_of(step, "nodeName");
        if (!workflow.empty() && name.size() > workflow.size() + 1 &&
            name.compare(0, workflow.size(), workflow) == 0) {
            name = name.substr(workflow.size() + 1);
        }
        engine::PreviousResult result;
        std::string phase = string_of(step, "phase");
        result.phase = phase == "Succeeded" ? engine::NodePhase::Succeeded : engine::NodePhase::Failed;
        auto outputs = step_outputs(member(step, "outputs"), where + ".outputs");
        KFRUN_TRY(outputs);
        result.outputs = std::move(*outputs);
        constexpr int k_none = std::numeric_limits<int>::min();
        if (int code = base::json_fields::small_int_of(step, "exitCode", k_none); code != k_none) {
            result.outputs.exit_code = code;
        }
        out[name] = std::move(result);
    }
    return out;
}

}  // namespace kfrun::cli
