#include "engine/entry_artifacts.hpp"

#include <algorithm>

#include "base/strings.hpp"

namespace kfrun::engine {

std::vector<const model::Artifact*> required_entry_artifacts(const model::Workflow& workflow) {
    std::vector<const model::Artifact*> out;
    const model::Template* entry = workflow.find_template(workflow.entrypoint);
    if (entry == nullptr) {
        return out;
    }
    for (const model::Artifact& artifact : entry->inputs.artifacts) {
        if (artifact.optional || artifact.raw_data || artifact.from ||
            !artifact.remote_kind.empty() ||
            model::find_by_name(workflow.arguments.artifacts, artifact.name) != nullptr) {
            continue;
        }
        out.push_back(&artifact);
    }
    return out;
}

base::Result<void> check_entry_artifacts(const model::Workflow& workflow,
                                         const std::vector<std::string>& given,
                                         const ArtifactHint& hint) {
    const model::Template* entry = workflow.find_template(workflow.entrypoint);
    std::vector<std::string> declared;
    if (entry != nullptr) {
        for (const model::Artifact& artifact : entry->inputs.artifacts) {
            declared.push_back(artifact.name);
        }
    }
    for (const std::string& name : given) {
        if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
            return base::make_error(base::ErrorKind::Input,
                                    "the pipeline has no input artifact `" + name +
                                        "`; its input artifacts are: " +
                                        (declared.empty() ? "(none)" : base::join(declared, ", ")),
                                    "--input-file " + name);
        }
    }
    for (const model::Artifact* artifact : required_entry_artifacts(workflow)) {
        if (std::find(given.begin(), given.end(), artifact->name) != given.end()) {
            continue;
        }
        const std::string type =
            artifact->schema_title.empty() ? "" : " (" + artifact->schema_title + ")";
        return base::make_error(base::ErrorKind::Input,
                                "pipeline input artifact `" + artifact->name + "`" + type +
                                    " is required; give it with " + hint(artifact->name),
                                workflow.sources.describe(artifact->yaml_path));
    }
    return base::ok();
}

}  // namespace kfrun::engine
