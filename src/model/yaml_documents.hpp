#pragma once
// YAML text into yaml-cpp nodes, bounded before yaml-cpp builds a single node.
//
// Two things a hostile file can do to yaml-cpp 0.7 while it builds nodes, before any check of
// kfrun's can look at them:
// - loop: a token no node can start with — a `,`, `]` or `}` outside brackets, as in a file whose
//   first line is `, x` — makes the parser return an empty document without consuming the token,
//   and LoadAll appends empty documents until memory runs out (490 bytes took kfrun 8 GB in a
//   minute; found by fuzz_argo_workflow; jbeder/yaml-cpp#1040, fixed upstream after 0.7);
// - grow: every node costs yaml-cpp a few hundred bytes, so 64 MiB of `[0,0,0,…` or of `---`
//   lines are tens of millions of nodes (GBs) before yaml-nodes is checked on the tree.
// So the text is first read with a handler that keeps nothing and counts: it stops past the
// documents the text's markers (`---`, `...` at a line's start) allow, past the yaml-nodes limit
// (base/limits.hpp) of nodes in the text, and past yaml-nodes nodes or yaml-bytes scalar bytes
// of one document with its aliases expanded ("billion laughs": an anchored node's size is
// counted once, an alias adds it; an alias inside its own anchor's node, a cycle, is refused).
// Only text that passes is loaded into nodes, so no reader of the tree needs to count again.
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/result.hpp"

namespace kfrun::model {

// The documents of `text` (YAML or JSON). Errors (kind Input) name `file_name` with the line
// and column; a syntax error's message starts with "invalid YAML: ".
base::Result<std::vector<YAML::Node>> load_yaml_documents(const std::string& text,
                                                          const std::string& file_name);

// The first document of `text` (a null node when it has none), bounded the same way.
base::Result<YAML::Node> load_yaml_document(const std::string& text, const std::string& file_name);

}  // namespace kfrun::model
