#pragma once
// KFP v1's naming rules (kfp.components._naming, kfp.dsl sanitize_k8s_name), so a component run
// gets the template, parameter, artifact and path names the v1 compiler would have written.
#include <optional>
#include <string>
#include <string_view>

namespace kfrun::component {

// `_sanitize_file_name`: runs of characters other than [-_.0-9a-zA-Z] become '_'
// ("Hash algorithm" → "Hash_algorithm"); used in /tmp/inputs/<name>/data.
std::string sanitize_file_name(std::string_view name);

// `sanitize_k8s_name`: lower-case, runs of characters other than [-0-9a-z] become '-', repeated
// and outer dashes removed ("Calculate data hash" → "calculate-data-hash"). With
// allow_capital_underscore, capitals and '_' are kept ("InferenceService Status" →
// "InferenceService-Status").
std::string sanitize_k8s_name(std::string_view name, bool allow_capital_underscore = false);

// The two outputs KFP always passes as artifacts under fixed names: an output whose name,
// lower-cased with every non-alphanumeric character as '-', is `mlpipeline-ui-metadata` or
// `mlpipeline-metrics` ("MLPipeline UI metadata" → "mlpipeline-ui-metadata").
std::optional<std::string> special_output_name(std::string_view output_name);

// KFP's parameter types (type_utils.is_parameter_type): String, Integer, Float, Boolean, Bool,
// JsonObject, JsonArray, List, Dict and their Python spellings; a structured type
// ({JsonObject: {...}}) counts by its outer name. Untyped and artifact types are not.
bool is_parameter_type(const std::string& type);

}  // namespace kfrun::component
