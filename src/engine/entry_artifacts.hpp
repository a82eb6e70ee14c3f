#pragma once
// The input artifacts of a run's entry template (KFP v2 pipeline input artifacts,
// root.inputDefinitions.artifacts; an Argo entrypoint's inputs.artifacts), checked against the
// ones the command line or a test case gives, before anything starts.
#include <functional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

// How the user gives an input artifact NAME, for messages: "--input-file NAME=PATH".
using ArtifactHint = std::function<std::string(const std::string& name)>;

// The entry template's input artifacts a run must be given: neither optional nor filled by
// the pipeline itself (raw data, `from`, spec.arguments.artifacts).
std::vector<const model::Artifact*> required_entry_artifacts(const model::Workflow& workflow);

// An Input error naming the first given name the entry template does not declare (`where`:
// "--input-file NAME"), else the first required artifact not given, with its type and `hint`.
base::Result<void> check_entry_artifacts(const model::Workflow& workflow,
                                         const std::vector<std::string>& given,
                                         const ArtifactHint& hint);

}  // namespace kfrun::engine
