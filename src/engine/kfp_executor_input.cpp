#include "engine/kfp_executor_input.hpp"

#include <cmath>
#include <map>

#include "base/json_text.hpp"
#include "base/sha256.hpp"
#include "base/strings.hpp"
#include "engine/importer_source.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

using base::Result;

namespace {

constexpr const char* k_store_session_info =
    R"({"Params":{"disableSSL":"true","endpoint":"kfrun-local","fromEnv":"false"},"Provider":"minio"})";

base::Error launcher_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

// One path component: what a URI key and a container path can hold. `.`/`..` cannot pass.
std::string path_component(const std::string& part) {
    std::string out;
    for (char c : part) {
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '(' || c == ')';
        out += keep ? c : '_';
    }
    if (out.size() > 80) {
        // Long loop items: keep the start (with the iteration index) and a digest of the rest.
        out = out.substr(0, 60) + "-" + base::sha256_hex(part).substr(0, 12);
    }
    if (out.empty() || out == "." || out == "..") {
        out = "_" + out;
    }
    return out;
}

// A typed value as protojson prints a google.protobuf.Value: integral numbers without ".0".
nlohmann::json proto_number_form(nlohmann::json value) {
    if (value.is_number_float()) {
        double number = value.get<double>();
        if (std::isfinite(number) && number == std::floor(number) &&
            std::fabs(number) < 9.007199254740992e15) {
            return nlohmann::json(static_cast<std::int64_t>(number));
        }
        return value;
    }
    if (value.is_array() || value.is_object()) {
        for (auto& item : value) {
            item = proto_number_form(std::move(item));
        }
    }
    return value;
}

// `{{$.inputs.parameters['p']}}` in a value replaced by p's (original) value, once.
std::string resolve_self_references(
    const std::string& value, const std::vector<std::pair<std::string, std::string>>& parameters) {
    const std::string prefix = "{{$.inputs.parameters['";
    if (value.find(prefix) == std::string::npos) {
        return value;
    }
    std::string out;
    std::size_t at = 0;
    while (true) {
        std::size_t open = value.find(prefix, at);
        if (open == std::string::npos) {
            break;
        }
        std::size_t close = value.find("']}}", open + prefix.size());
        if (close == std::string::npos) {
            break;
        }
        std::string name = value.substr(open + prefix.size(), close - open - prefix.size());
        const std::string* found = nullptr;
        for (const auto& [key, text] : parameters) {
            if (key == name) {
                found = &text;
            }
        }
        out += value.substr(at, open - at);
        out += found != nullptr ? *found : value.substr(open, close + 4 - open);
        at = close + 4;
    }
    return out + value.substr(at);
}

nlohmann::json artifact_type(const LauncherArtifact& artifact) {
    nlohmann::json type = nlohmann::json::object();
    if (!artifact.schema_title.empty()) {
        type["schemaTitle"] = artifact.schema_title;
    }
    if (!artifact.schema_version.empty()) {
        type["schemaVersion"] = artifact.schema_version;
    }
    return type;
}

}  // namespace

const std::string* LauncherIo::parameter(const std::string& name) const {
    for (const auto& [key, value] : parameters) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

const std::vector<LauncherArtifact>* LauncherIo::input_artifact(const std::string& name) const {
    for (const auto& [key, value] : input_artifacts) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

const LauncherArtifact* LauncherIo::output_artifact(const std::string& name) const {
    for (const auto& [key, value] : output_artifacts) {
        if (key == name) {
            return &value;
        }
    }
    return nullptr;
}

std::string kfp_task_path(const std::string& node_name, const std::string& workflow_name,
                          bool retry_attempt) {
    std::string below = node_name;
    if (below.size() > workflow_name.size() &&
        below.compare(0, workflow_name.size(), workflow_name) == 0 &&
        below[workflow_name.size()] == '.') {
        below = below.substr(workflow_name.size() + 1);
    }
    if (retry_attempt && !below.empty() && below.back() == ')') {
        std::size_t open = below.rfind('(');
        if (open != std::string::npos) {
            below = below.substr(0, open);  // the attempt's "(N)": attempts share the task root
        }
    }
    // Split at the dots between task names, not inside a loop item's "(i:value)".
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    for (char c : below) {
        if (c == '(') {
            ++depth;
        } else if (c == ')' && depth > 0) {
            --depth;
        }
        if (c == '.' && depth == 0) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.push_back(current);
    std::vector<std::string> clean;
    for (const std::string& part : parts) {
        clean.push_back(path_component(part));
    }
    return base::join(clean, "/");
}

std::string kfp_local_path(const std::string& uri) {
    static const std::pair<const char*, const char*> k_schemes[] = {
        {"minio://", "/minio/"}, {"gs://", "/gcs/"}, {"s3://", "/s3/"}};
    for (const auto& [scheme, local] : k_schemes) {
        std::string prefix = scheme;
        if (uri.compare(0, prefix.size(), prefix) == 0) {
            return local + uri.substr(prefix.size());
        }
    }
    return imported_local_path(uri);  // an importer's local file (a kfrun extension)
}

std::string kfp_artifact_id(const std::string& uri, const std::string& digest,
                            const std::string& metadata_text) {
    std::string hex = base::sha256_hex(uri + '\n' + digest + '\n' + metadata_text);
    // 12 hex digits = 48 bits: a positive number, like an MLMD ID.
    return std::to_string(std::stoull(hex.substr(0, 12), nullptr, 16));
}

std::string kfp_final_status_text(const std::string& text) {
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("state") || !parsed["state"].is_string()) {
        return text;
    }
    static const std::map<std::string, std::string> k_states = {{"Succeeded", "COMPLETE"},
                                                                {"Failed", "FAILED"},
                                                                {"Error", "FAILED"},
                                                                {"Skipped", "CANCELED"},
                                                                {"Omitted", "CANCELED"}};
    if (auto it = k_states.find(parsed["state"].get<std::string>()); it != k_states.end()) {
        parsed["state"] = it->second;
    }
    return base::json_text(parsed);
}

Result<nlohmann::json> kfp_mlmd_metadata(const nlohmann::json& metadata) {
    nlohmann::json out = nlohmann::json::object();
    if (!metadata.is_object()) {
        return out;
    }
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        const nlohmann::json& value = it.value();
        if (value.is_null()) {
            return launcher_error("artifact metadata `" + it.key() +
                                  "` is null, which the KFP backend cannot record");
        }
        if (value.is_boolean()) {
            out[it.key()] = value.get<bool>() ? 1 : 0;
        } else if (value.is_array()) {
            out[it.key()] = {{"list", value}};
        } else if (value.is_object()) {
            out[it.key()] = {{"struct", value}};
        } else {
            out[it.key()] = value;
        }
    }
    return out;
}

Result<LauncherIo> launcher_io(const Node& node, const model::Template& tmpl,
                               const std::string& task_path) {
    LauncherIo io;
    const model::Launcher& launcher = *tmpl.launcher;
    std::string root = launcher.pipeline_root;
    while (!root.empty() && root.back() == '/') {
        root.pop_back();
    }
    io.task_root_uri = root + "/" + path_component(launcher.pipeline_name) + "/" + task_path;
    io.task_root_path = kfp_local_path(io.task_root_uri);
    if (io.task_root_path.empty()) {
        return launcher_error("pipeline root `" + launcher.pipeline_root +
                              "` has no local path (minio://, gs:// or s3:// have)");
    }
    io.output_file = io.task_root_path + "/output_metadata.json";

    // Parameters: what the node was bound with (defaults included), in declaration order.
    std::vector<std::pair<std::string, std::string>> bound;
    for (const model::Parameter& declared : tmpl.inputs.parameters) {
        // kfrun's hidden inputs (`kfrun-…`: a Secret, ConfigMap or PVC name the driver
        // resolves from the DAG) are not the component's: the backend's executor input has no
        // such entry. A KFP input name is a Python identifier: it never holds a '-'.
        if (declared.name.rfind("kfrun-", 0) == 0) {
            continue;
        }
        for (const auto& [name, value] : node.input_parameters) {
            if (name == declared.name) {
                std::string text = declared.type == model::k_type_task_final_status
                                       ? kfp_final_status_text(value)
                                       : value;
                bound.emplace_back(name, std::move(text));
            }
        }
        io.parameter_types.emplace_back(declared.name, declared.type);
    }
    for (const auto& [name, value] : bound) {
        io.parameters.emplace_back(name, resolve_self_references(value, bound));
    }

    for (const NamedArtifact& input : node.input_artifacts) {
        const model::Artifact* declared = model::find_by_name(tmpl.inputs.artifacts, input.name);
        LauncherArtifact artifact;
        const ArtifactRef& ref = input.artifact;
        if (ref.typed) {
            artifact.id = ref.typed->id;
            artifact.uri = ref.typed->uri;
            artifact.schema_title = ref.typed->schema_title;
            artifact.schema_version = ref.typed->schema_version;
            artifact.metadata = nlohmann::json::parse(ref.typed->metadata, nullptr, false);
        } else {
            // From an untyped producer (an Argo step, a raw or a --input-file artifact).
            artifact.uri = root + "/" + path_component(launcher.pipeline_name) + "/.inputs/" +
                           ref.digest.substr(0, 16) + "/" + path_component(input.name);
            artifact.id = kfp_artifact_id(artifact.uri, ref.digest, "{}");
            if (declared != nullptr) {
                artifact.schema_title = declared->schema_title;
                artifact.schema_version = declared->schema_version;
            }
        }
        auto mlmd = kfp_mlmd_metadata(artifact.metadata);
        KFRUN_TRY(mlmd);
        artifact.metadata = std::move(mlmd.value());
        if (!artifact.metadata.contains("display_name")) {
            artifact.metadata["display_name"] = input.name;
        }
        if (!artifact.metadata.contains("store_session_info")) {
            artifact.metadata["store_session_info"] = k_store_session_info;
        }
        artifact.path = kfp_local_path(artifact.uri);
        bool found = false;
        for (auto& [name, list] : io.input_artifacts) {
            if (name == input.name) {
                list.push_back(artifact);
                found = true;
            }
        }
        if (!found) {
            io.input_artifacts.emplace_back(input.name, std::vector<LauncherArtifact>{artifact});
        }
    }

    for (const model::Parameter& output : tmpl.outputs.parameters) {
        io.output_parameters.emplace_back(
            output.name, output.from_path.value_or("/tmp/kfp/outputs/" + output.name));
    }
    for (const model::Artifact& output : tmpl.outputs.artifacts) {
        LauncherArtifact artifact;
        artifact.id = output.name;
        artifact.uri = io.task_root_uri + "/" + output.name;
        artifact.path = io.task_root_path + "/" + output.name;
        artifact.schema_title = output.schema_title;
        artifact.schema_version = output.schema_version;
        artifact.metadata =
            output.metadata.is_object() ? output.metadata : nlohmann::json::object();
        io.output_artifacts.emplace_back(output.name, std::move(artifact));
    }
    return io;
}

Result<nlohmann::json> executor_input_json(const LauncherIo& io) {
    nlohmann::json inputs = nlohmann::json::object();
    nlohmann::json values = nlohmann::json::object();
    for (const auto& [name, text] : io.parameters) {
        std::string type;
        for (const auto& [key, declared] : io.parameter_types) {
            if (key == name) {
                type = declared;
            }
        }
        auto value = model::typed_value(text, type);
        if (!value.ok() && text.find("<dry-run:") != std::string::npos) {
            value = nlohmann::json(text);  // a dry run's symbolic value
        }
        if (!value.ok()) {
            return launcher_error("input parameter `" + name +
                                  "` type mismatch: " + value.error().message);
        }
        values[name] = proto_number_form(std::move(value.value()));
    }
    if (!values.empty()) {
        inputs["parameterValues"] = std::move(values);
    }
    nlohmann::json input_artifacts = nlohmann::json::object();
    for (const auto& [name, list] : io.input_artifacts) {
        nlohmann::json items = nlohmann::json::array();
        for (const LauncherArtifact& artifact : list) {
            items.push_back({{"name", artifact.id},
                             {"type", {{"instanceSchema", ""}}},
                             {"uri", artifact.uri},
                             {"metadata", artifact.metadata}});
        }
        input_artifacts[name] = {{"artifacts", std::move(items)}};
    }
    if (!input_artifacts.empty()) {
        inputs["artifacts"] = std::move(input_artifacts);
    }
    nlohmann::json outputs = nlohmann::json::object();
    nlohmann::json output_parameters = nlohmann::json::object();
    for (const auto& [name, file] : io.output_parameters) {
        output_parameters[name] = {{"outputFile", file}};
    }
    if (!output_parameters.empty()) {
        outputs["parameters"] = std::move(output_parameters);
    }
    nlohmann::json output_artifacts = nlohmann::json::object();
    for (const auto& [name, artifact] : io.output_artifacts) {
        nlohmann::json item = {
            {"name", artifact.id}, {"type", artifact_type(artifact)}, {"uri", artifact.uri}};
        if (!artifact.metadata.empty()) {
            item["metadata"] = artifact.metadata;
        }
        output_artifacts[name] = {{"artifacts", nlohmann::json::array({std::move(item)})}};
    }
    if (!output_artifacts.empty()) {
        outputs["artifacts"] = std::move(output_artifacts);
    }
    outputs["outputFile"] = io.output_file;
    nlohmann::json out = nlohmann::json::object();
    if (!inputs.empty()) {
        out["inputs"] = std::move(inputs);
    }
    out["outputs"] = std::move(outputs);
    return out;
}

}  // namespace kfrun::engine
