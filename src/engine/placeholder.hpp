#pragma once
// Placeholders: Argo's `{{name}}` tags — finding them and substituting them from a Scope.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "engine/scope.hpp"

namespace kfrun::engine {

struct Tag {
    std::size_t begin = 0;  // offset of "{{"
    std::size_t end = 0;    // offset just past "}}"
    std::string name;       // the trimmed text between the braces
    bool expression = false;  // "{{=expr}}"
};

std::vector<Tag> find_tags(std::string_view text);
bool has_tags(std::string_view text);

// What to do with a tag that has no value.
enum class Unresolved {
    Keep,  // leave it in the text literally (Argo v3.3 at run time)
    Fail,  // an error "failed to resolve {{name}}" (Argo for loop items)
};

// Replaces every tag whose name the scope knows. Expression tags are left as they are.
base::Result<std::string> substitute(std::string_view text, const Scope& scope,
                                     Unresolved unresolved = Unresolved::Keep);

// Lookup-function form, for callers that compute values on demand.
using TagLookup = std::function<std::optional<std::string>(const std::string& name)>;
base::Result<std::string> substitute(std::string_view text, const TagLookup& lookup,
                                     Unresolved unresolved = Unresolved::Keep);

}  // namespace kfrun::engine
