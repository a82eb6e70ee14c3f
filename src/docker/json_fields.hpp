#pragma once
// Defensive readers for the daemon's JSON: a missing or mistyped field gives the default, never
// an exception (a surprising response is not a bug in kfrun). Internal to src/docker; the
// readers themselves are base::json_fields, shared with every reader of JSON kfrun did not build.
#include "base/json_fields.hpp"

namespace kfrun::docker {

namespace json_fields = base::json_fields;

}  // namespace kfrun::docker
