#include "engine/kfp_launcher_outputs.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"
#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "base/utf8.hpp"
#include "engine/output_collector.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

base::Error output_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

std::string shown(const std::string& text) {
    std::string visible = base::valid_utf8(text);
    return visible.size() > 60 ? visible.substr(0, 60) + "…" : visible;
}

// Go's strings.TrimSpace for ASCII white space.
std::string go_trim(const std::string& text) {
    return std::string(base::trim(text));
}

const CollectedOutput* find_output(const StepOutcome& outcome, const std::string& path) {
    for (const CollectedOutput& output : outcome.outputs) {
        if (output.path == path) {
            return &output;
        }
    }
    return nullptr;
}

void fail(PodResult& result, const std::string& message) {
    if (result.phase == NodePhase::Succeeded) {
        result.phase = NodePhase::Failed;
        result.message = message;
    }
    result.outputs.parameters.clear();
    result.outputs.artifacts.clear();
}

// executor_output.json: absent → an empty object; unreadable or not a JSON object → an error.
Result<nlohmann::json> read_executor_output(const PodJob& job, const StepOutcome& outcome,
                                            ArtifactStore& store) {
    const std::string& path = job.launcher->output_file;
    const CollectedOutput* output = find_output(outcome, path);
    if (output == nullptr || (!output->artifact && output->problem.empty())) {
        return nlohmann::json::object();
    }
    if (!output->artifact) {
        return output_error("executor output " + path + ": " + output->problem);
    }
    if (output->artifact->is_directory()) {
        return output_error("executor output " + path + " is a directory, not a file");
    }
    auto text = store.read_text(*output->artifact, k_max_parameter_bytes);
    if (!text.ok()) {
        return output_error("executor output " + path + ": " + text.error().message);
    }
    if (!base::json_depth_within_limit(*text)) {
        return output_error(base::json_depth_problem("executor output " + path));
    }
    auto parsed = nlohmann::json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        return output_error("executor output " + path + " is not a valid JSON object");
    }
    return parsed;
}

}  // namespace

Result<std::string> kfp_output_parameter_text(const std::string& bytes, const std::string& type) {
    if (type.empty() || type == model::k_type_string) {
        return bytes;
    }
    std::string text = go_trim(bytes);
    if (type == model::k_type_integer) {
        long long value = 0;
        const char* first = text.data();
        const char* last = text.data() + text.size();
        if (first != last && *first == '+') {
            ++first;
        }
        auto [end, error] = std::from_chars(first, last, value);
        if (first == last || error != std::errc() || end != last ||
            (first != text.data() && *first == '-')) {
            return output_error("`" + shown(text) + "` is not a base-10 integer (NUMBER_INTEGER)");
        }
        return model::format_go_float(static_cast<double>(value));
    }
    if (type == model::k_type_double) {
        double value = 0;
        const char* first = text.data();
        const char* last = text.data() + text.size();
        if (first != last && *first == '+') {
            ++first;
        }
        auto [end, error] = std::from_chars(first, last, value);
        if (first == last || error != std::errc() || end != last ||
            (first != text.data() && *first == '-')) {
            return output_error("`" + shown(text) + "` is not a number (NUMBER_DOUBLE)");
        }
        return model::format_go_float(value);
    }
    if (type == model::k_type_boolean) {
        static const std::set<std::string> k_true = {"1", "t", "T", "TRUE", "true", "True"};
        static const std::set<std::string> k_false = {"0", "f", "F", "FALSE", "false", "False"};
        if (k_true.count(text) != 0) {
            return std::string("true");
        }
        if (k_false.count(text) != 0) {
            return std::string("false");
        }
        return output_error("`" + shown(text) + "` is not a boolean (BOOLEAN)");
    }
    if (type == model::k_type_list || type == model::k_type_struct) {
        if (!base::json_depth_within_limit(bytes)) {
            return output_error(base::json_depth_problem("the " + type + " value"));
        }
        auto parsed = nlohmann::json::parse(bytes, nullptr, false);
        bool list = type == model::k_type_list;
        if (parsed.is_discarded() || (list ? !parsed.is_array() : !parsed.is_object())) {
            return output_error("`" + shown(text) + "` is not a JSON " +
                                (list ? "list (LIST)" : "object (STRUCT)"));
        }
        return model::canonical_text(parsed);
    }
    return bytes;
}

void collect_launcher_outputs(const PodJob& job, const StepOutcome& outcome, ArtifactStore& store,
                              PodResult& result) {
    if (result.phase != NodePhase::Succeeded) {
        return;  // a failed command: no outputs are recorded
    }
    const LauncherIo& io = *job.launcher;
    auto executor_output = read_executor_output(job, outcome, store);
    if (!executor_output.ok()) {
        fail(result, executor_output.error().message);
        return;
    }
    const nlohmann::json& written = *executor_output;
    const nlohmann::json no_values = nlohmann::json::object();
    const nlohmann::json& values =
        written.contains("parameterValues") && written["parameterValues"].is_object()
            ? written["parameterValues"]
            : no_values;

    for (const model::Parameter& parameter : job.output_parameters) {
        if (values.contains(parameter.name)) {
            result.outputs.parameters.emplace_back(
                parameter.name, base::valid_utf8(model::canonical_text(values[parameter.name])));
            continue;
        }
        const std::string path = parameter.from_path.value_or("");
        const CollectedOutput* output = find_output(outcome, path);
        if (output == nullptr || !output->artifact) {
            fail(result, "output parameter `" + parameter.name + "`: " +
                             (output != nullptr && !output->problem.empty()
                                  ? output->problem
                                  : path + " does not exist in the container"));
            return;
        }
        if (output->artifact->is_directory()) {
            fail(result, "output parameter `" + parameter.name + "`: " + path +
                             " is a directory, not a file");
            return;
        }
        auto text = store.read_text(*output->artifact, k_max_parameter_bytes);
        if (!text.ok()) {
            fail(result, "output parameter `" + parameter.name + "`: " + text.error().message);
            return;
        }
        auto value = kfp_output_parameter_text(*text, parameter.type);
        if (!value.ok()) {
            fail(result, "output parameter `" + parameter.name + "` (" + path +
                             "): " + value.error().message);
            return;
        }
        result.outputs.parameters.emplace_back(parameter.name, base::valid_utf8(*value));
    }

    const nlohmann::json no_artifacts = nlohmann::json::object();
    const nlohmann::json& artifacts =
        written.contains("artifacts") && written["artifacts"].is_object() ? written["artifacts"]
                                                                          : no_artifacts;
    for (const model::Artifact& declared : job.output_artifacts) {
        const LauncherArtifact* planned = io.output_artifact(declared.name);
        if (planned == nullptr) {
            continue;
        }
        ArtifactInfo info;
        info.uri = planned->uri;
        info.schema_title = planned->schema_title;
        info.schema_version = planned->schema_version;
        nlohmann::json metadata = planned->metadata;
        if (artifacts.contains(declared.name)) {
            const nlohmann::json& entry = artifacts[declared.name];
            if (entry.is_object() && entry.contains("artifacts") && entry["artifacts"].is_array() &&
                !entry["artifacts"].empty() && entry["artifacts"][0].is_object()) {
                const nlohmann::json& first = entry["artifacts"][0];
                if (first.contains("uri") && first["uri"].is_string() &&
                    !first["uri"].get<std::string>().empty()) {
                    info.uri = first["uri"].get<std::string>();
                }
                if (first.contains("metadata") && first["metadata"].is_object()) {
                    for (auto it = first["metadata"].begin(); it != first["metadata"].end(); ++it) {
                        metadata[it.key()] = it.value();
                    }
                }
                for (const char* key : {"customPath", "custom_path"}) {
                    if (first.contains(key) && first[key].is_string() &&
                        first[key].get<std::string>() != declared.path &&
                        !first[key].get<std::string>().empty()) {
                        result.record.warnings.push_back(
                            "output artifact `" + declared.name + "`: customPath " +
                            first[key].get<std::string>() + " is not collected; kfrun reads " +
                            declared.path);
                    }
                }
            }
        }
        if (auto checked = kfp_mlmd_metadata(metadata); !checked.ok()) {
            fail(result, "output artifact `" + declared.name + "`: " + checked.error().message);
            return;
        }
        info.metadata = base::json_text(metadata);
        ArtifactRef ref;
        const CollectedOutput* output = find_output(outcome, declared.path);
        if (output != nullptr && output->artifact) {
            ref = *output->artifact;
        } else if (output != nullptr && !output->problem.empty()) {
            fail(result, "output artifact `" + declared.name + "`: " + output->problem);
            return;
        } else {
            result.record.warnings.push_back("output artifact `" + declared.name +
                                             "`: " + declared.path +
                                             " was not written; recorded without content");
        }
        info.id = kfp_artifact_id(info.uri, ref.digest, info.metadata);
        ref.typed = std::move(info);
        result.outputs.artifacts.push_back(NamedArtifact{declared.name, ref, declared.path});
    }
}

}  // namespace kfrun::engine
