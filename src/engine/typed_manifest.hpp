#pragma once
// Resource manifests the KFP v2 front end writes (kfp-kubernetes CreatePVC/DeletePVC): JSON whose
// string members hold placeholders. Each string member is substituted on its own, and one that is
// exactly `{{inputs.parameters.X}}` of a typed input (LIST, STRUCT, number, boolean) takes X's
// value as JSON. So a value stays the member it was bound to: spliced into the text, a `"` in a
// pvc_name (an upstream step's output) could add a volumeName or any other member.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/scope.hpp"
#include "model/io.hpp"

namespace kfrun::engine {

// The manifest, substituted, as compact JSON. An error when `manifest` is not JSON (a front-end
// bug) or a typed input's value is not of its type.
base::Result<std::string> substitute_typed_manifest(const std::string& manifest,
                                                    const std::vector<model::Parameter>& inputs,
                                                    const Scope& scope);

}  // namespace kfrun::engine
