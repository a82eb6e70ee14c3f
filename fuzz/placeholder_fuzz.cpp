// Fuzz target: `{{...}}` placeholders (src/engine/placeholder): finding tags and substituting
// them from a scope, with unknown names kept or failing.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/placeholder.hpp"
#include "engine/scope.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const kfrun::engine::Tag& tag : kfrun::engine::find_tags(text)) {
        if (tag.begin > tag.end || tag.end > text.size()) {
            __builtin_trap();  // a tag must lie inside the text
        }
    }
    (void)kfrun::engine::has_tags(text);
    kfrun::engine::Scope globals;
    globals.set("workflow.name", "wf-{{workflow.name}}");  // values are never substituted again
    globals.set("inputs.parameters.a", "{{");
    globals.set_unresolvable("tasks.loop.outputs.parameters", "not JSON");
    kfrun::engine::Scope scope(&globals);
    scope.set("item", "}}");
    (void)kfrun::engine::substitute(text, scope, kfrun::engine::Unresolved::Keep);
    (void)kfrun::engine::substitute(text, scope, kfrun::engine::Unresolved::Fail);
    auto echo = [](const std::string& name) -> std::optional<std::string> {
        if (name.size() % 3 == 0) {
            return std::nullopt;
        }
        return name + name;
    };
    (void)kfrun::engine::substitute(text, echo, kfrun::engine::Unresolved::Keep);
    return 0;
}
