#pragma once
// Workflow: a whole pipeline, independent of the format it was read from (immutable once loaded).
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/source_map.hpp"
#include "model/template.hpp"

namespace kfrun::model {

// Something in the input that kfrun reads but cannot honour, or ignores on purpose.
struct Notice {
    enum class Severity { Ignored, Unsupported };
    Severity severity = Severity::Ignored;
    std::string yaml_path;
    std::string message;
};

struct Workflow {
    std::string name;           // metadata.name, or empty
    std::string generate_name;  // metadata.generateName
    std::string display_name;   // a human name (KFP's pipeline_spec name) when known
    std::string description;
    std::string entrypoint;
    Arguments arguments;  // spec.arguments
    std::vector<Template> templates;
    std::string on_exit;
    std::vector<Volume> volumes;
    std::vector<VolumeClaimTemplate> volume_claim_templates;
    std::optional<std::string> parallelism;
    std::optional<std::string> active_deadline_seconds;
    std::optional<RetryStrategy> retry_strategy;  // default for templates without one
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> annotations;
    std::string service_account;
    SecurityContext pod_security;   // spec.securityContext: every pod's, unless its template's
    bool host_network = false;      // spec.hostNetwork
    std::vector<Notice> notices;
    SourceMap sources;

    const Template* find_template(const std::string& template_name) const;
    // Call after filling `templates`.
    void index_templates();

private:
    std::unordered_map<std::string, std::size_t> m_template_index;
};

}  // namespace kfrun::model
