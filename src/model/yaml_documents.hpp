#pragma once
// Every document of a YAML stream, read without yaml-cpp 0.7's endless loop.
//
// YAML::LoadAll asks its parser for documents until it says there are no more. A token that no
// node can start with — a `,`, `]` or `}` outside brackets, as in a file whose first line is
// `, x` — makes yaml-cpp 0.7 return an empty document without consuming the token, so LoadAll
// appends empty documents until memory runs out: 490 bytes took kfrun 8 GB in a minute (found
// by fuzz_argo_workflow; jbeder/yaml-cpp#1040, fixed upstream after 0.7 by #1319). Here the
// stream is read once with a handler that keeps nothing, and stops as soon as there are more
// documents than the text has document markers (`---`, `...`) to separate them; only a stream
// that passes is loaded into nodes.
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/result.hpp"

namespace kfrun::model {

// The documents of `text` (YAML or JSON). Errors (kind Input) start with "invalid YAML: " and
// name `file_name` with the line and column.
base::Result<std::vector<YAML::Node>> load_yaml_documents(const std::string& text,
                                                          const std::string& file_name);

}  // namespace kfrun::model
