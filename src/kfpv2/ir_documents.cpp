#include "kfpv2/ir_documents.hpp"

#include <vector>

#include "kfpv2/ir_schema.hpp"
#include "model/yaml_documents.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

constexpr const char* k_schema_version = "2.1.0";

// The longest name a map of names may use (a Kubernetes object name's bound).
constexpr std::size_t k_max_name_bytes = 253;

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

bool has_key(const YAML::Node& node, const char* camel, const char* snake) {
    return node.IsMap() && (node[camel] || node[snake]);
}

// Walks a YAML node against a message's fields: unknown keys are errors; returns the node
// as JSON with lowerCamelCase keys; records every node's position.
class StrictWalker {
  public:
    explicit StrictWalker(model::SourceMap& sources) : m_sources(sources) {}

    Result<nlohmann::json> message(const YAML::Node& node, const std::string& path,
                                   const Message& schema) {
        mark(node, path);
        if (!node || node.IsNull()) {
            return nlohmann::json::object();
        }
        if (!node.IsMap()) {
            return error(path, "expected a mapping (" + std::string(schema.name) + ")");
        }
        nlohmann::json out = nlohmann::json::object();
        for (const auto& entry : node) {
            const std::string key = entry.first.Scalar();
            const std::string key_path = join(path, key);
            mark(entry.first, key_path);
            const Field* field = schema.find(key);
            if (field == nullptr) {
                return error(key_path, "unknown field `" + key.substr(0, 256) + "` in " +
                                           schema.name +
                                           " (KFP's API server reads IR with strict proto-JSON "
                                           "and rejects it)");
            }
            const std::string name = std::string(field->name) == "pipelineConfig"
                                         ? std::string("pipelineConfig")
                                         : camel_case(field->name);
            auto value = this->field(entry.second, key_path, *field);
            if (!value.ok()) {
                return value.error();
            }
            out[name] = std::move(value.value());
        }
        return out;
    }

    base::Error error(const std::string& path, std::string message) const {
        return base::make_error(base::ErrorKind::Input, std::move(message),
                                m_sources.describe(path));
    }

    void mark(const YAML::Node& node, const std::string& path) {
        if (!node) {
            return;
        }
        YAML::Mark mark = node.Mark();
        if (mark.line >= 0) {
            m_sources.record(path, model::SourceMark{mark.line + 1, mark.column + 1});
        }
    }

  private:
    Result<nlohmann::json> field(const YAML::Node& node, const std::string& path,
                                 const Field& field) {
        mark(node, path);
        using K = Field::Kind;
        switch (field.kind) {
            case K::Scalar:
                if (node.IsNull()) {
                    return nlohmann::json();
                }
                if (!node.IsScalar()) {
                    return error(path, "`" + std::string(field.name) + "` must be a single value");
                }
                return model::yaml_to_json(node);
            case K::Any:
                return model::yaml_to_json(node);
            case K::Object:
                return message(node, path, *field.message);
            case K::MessageMap: {
                nlohmann::json out = nlohmann::json::object();
                if (node.IsNull()) {
                    return out;
                }
                if (!node.IsMap()) {
                    return error(
                        path, "expected a mapping of names to " + std::string(field.message->name));
                }
                for (const auto& entry : node) {
                    const std::string key = entry.first.Scalar();
                    // A name (component, task, executor, parameter) goes into the path of
                    // everything below it and into the translated model's places: one of 32 MB
                    // over a thousand parameters was tens of GB of paths.
                    if (key.size() > k_max_name_bytes) {
                        return error(path, "a name of " + std::to_string(key.size()) +
                                               " bytes in " + std::string(field.message->name) +
                                               " names; KFP names are at most " +
                                               std::to_string(k_max_name_bytes) + " bytes");
                    }
                    auto value = message(entry.second, join(path, key), *field.message);
                    if (!value.ok()) {
                        return value.error();
                    }
                    out[key] = std::move(value.value());
                }
                return out;
            }
            case K::MessageList: {
                nlohmann::json out = nlohmann::json::array();
                if (node.IsNull()) {
                    return out;
                }
                if (!node.IsSequence()) {
                    return error(path, "expected a list of " + std::string(field.message->name));
                }
                for (std::size_t i = 0; i < node.size(); ++i) {
                    auto value =
                        message(node[i], path + "[" + std::to_string(i) + "]", *field.message);
                    if (!value.ok()) {
                        return value.error();
                    }
                    out.push_back(std::move(value.value()));
                }
                return out;
            }
            case K::ScalarList: {
                nlohmann::json out = nlohmann::json::array();
                if (node.IsNull()) {
                    return out;
                }
                if (!node.IsSequence()) {
                    return error(path, "expected a list of strings");
                }
                for (std::size_t i = 0; i < node.size(); ++i) {
                    const std::string item_path = path + "[" + std::to_string(i) + "]";
                    mark(node[i], item_path);
                    if (!node[i].IsScalar()) {
                        return error(item_path, "expected a string");
                    }
                    out.push_back(node[i].Scalar());
                }
                return out;
            }
            case K::ScalarMap: {
                nlohmann::json out = nlohmann::json::object();
                if (node.IsNull()) {
                    return out;
                }
                if (!node.IsMap()) {
                    return error(path, "expected a mapping of strings");
                }
                for (const auto& entry : node) {
                    const std::string key = entry.first.Scalar();
                    mark(entry.second, join(path, key));
                    if (!entry.second.IsScalar() && !entry.second.IsNull()) {
                        return error(join(path, key), "expected a string");
                    }
                    out[key] = entry.second.IsNull() ? std::string() : entry.second.Scalar();
                }
                return out;
            }
        }
        return nlohmann::json();
    }

    model::SourceMap& m_sources;
};

// "the document at line N" for errors about whole documents.
std::string document_path(std::size_t index) {
    return index == 0 ? std::string() : "document " + std::to_string(index + 1);
}

}  // namespace

bool is_ir_document(const YAML::Node& document) {
    if (!document.IsMap()) {
        return false;
    }
    if (has_key(document, "pipelineSpec", "pipeline_spec")) {
        return true;
    }
    return has_key(document, "pipelineInfo", "pipeline_info");
}

bool is_ir_text(const std::string& text) {
    try {
        auto first = model::load_yaml_document(text, "");
        return first.ok() && is_ir_document(*first);
    } catch (const YAML::Exception&) {
        return false;
    }
}

Result<IrDocuments> read_ir_documents(const std::string& text, model::SourceMap& sources) {
    KFRUN_TRY(model::check_yaml_text_size(text.size(), sources.file()));
    auto loaded = model::load_yaml_documents(text, sources.file());
    KFRUN_TRY(loaded);
    std::vector<YAML::Node> documents = std::move(*loaded);
    StrictWalker walker(sources);
    IrDocuments out;
    bool have_spec = false;
    bool have_platform = false;
    try {
        for (std::size_t i = 0; i < documents.size(); ++i) {
            const YAML::Node& document = documents[i];
            if (!document || document.IsNull()) {
                continue;
            }
            walker.mark(document, document_path(i));
            if (is_ir_document(document)) {
                if (have_spec) {
                    return walker.error(document_path(i),
                                        "multiple pipeline specs: this file holds a second "
                                        "PipelineSpec document (KFP's API server rejects it)");
                }
                have_spec = true;
                if (has_key(document, "pipelineSpec", "pipeline_spec")) {
                    auto job = walker.message(document, "", pipeline_job_message());
                    KFRUN_TRY(job);
                    out.spec = (*job)["pipelineSpec"];
                    out.spec_base = document["pipelineSpec"] ? "pipelineSpec" : "pipeline_spec";
                    out.unwrapped_job = true;
                } else {
                    auto spec = walker.message(document, "", pipeline_spec_message());
                    KFRUN_TRY(spec);
                    out.spec = std::move(spec.value());
                }
                continue;
            }
            if (document.IsMap() && document["platforms"]) {
                if (have_platform) {
                    return walker.error(document_path(i),
                                        "multiple platform specs: this file holds a second "
                                        "`platforms:` document (KFP's API server rejects it)");
                }
                have_platform = true;
                auto platform = walker.message(document, "", platform_document_message());
                KFRUN_TRY(platform);
                if (platform->contains("platforms") &&
                    (*platform)["platforms"].contains("kubernetes")) {
                    out.platform = (*platform)["platforms"]["kubernetes"];
                    out.platform_base = "platforms.kubernetes";
                }
                continue;
            }
            // Other documents are ignored, as the API server ignores them.
        }
    } catch (const YAML::Exception& e) {
        return base::make_error(base::ErrorKind::Input, "unexpected YAML structure: " + e.msg,
                                sources.file());
    }
    if (!have_spec) {
        return walker.error("",
                            "no pipeline spec: a KFP v2 IR file needs a document with "
                            "`pipelineInfo` and `root`");
    }
    const std::string base = out.spec_base;
    const nlohmann::json& spec = out.spec;
    std::string version = spec.contains("schemaVersion") && spec["schemaVersion"].is_string()
                              ? spec["schemaVersion"].get<std::string>()
                              : std::string();
    if (version != k_schema_version) {
        return walker.error(join(base, "schemaVersion"),
                            "KFP only supports schema version 2.1.0 (this file has `" +
                                (version.empty() ? std::string("none") : version) + "`)");
    }
    if (!spec.contains("pipelineInfo") || !spec["pipelineInfo"].contains("name") ||
        !spec["pipelineInfo"]["name"].is_string() ||
        spec["pipelineInfo"]["name"].get<std::string>().empty()) {
        return walker.error(join(base, "pipelineInfo"), "pipelineInfo.name must not be empty");
    }
    if (!spec.contains("root") || !spec["root"].contains("dag")) {
        return walker.error(join(base, "root"), "the pipeline's `root` must be a DAG");
    }
    return out;
}

}  // namespace kfrun::kfpv2
