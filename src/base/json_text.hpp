#pragma once
// json_text: the one way kfrun serialises JSON. nlohmann's dump() throws type_error.316 on a
// string that is not valid UTF-8, and a step controls much of what kfrun writes as JSON (output
// parameters, log lines, messages). json_text never throws: it writes invalid bytes as U+FFFD,
// one per byte, as Go's encoding/json does for Argo's and Kubernetes' workflow status, so a
// value reads the same in kfrun's report, cache and history as on a cluster.
// Call .dump() nowhere else (tests/unit/base/json_dump_guard checks that).
#include <nlohmann/json.hpp>
#include <string>

namespace kfrun::base {

// `value` as JSON text: compact (indent -1) or indented by `indent` spaces.
std::string json_text(const nlohmann::json& value, int indent = -1);
// True when a string or object key somewhere in `value` is not valid UTF-8.
bool has_invalid_utf8(const nlohmann::json& value);
// `value` with every string and object key made valid UTF-8 (see valid_utf8).
nlohmann::json with_valid_utf8(const nlohmann::json& value);

}  // namespace kfrun::base
