#pragma once
// Loads a KFP v1 component spec (component.yaml) into ComponentSpec, recording file:line:col
// for every field, and checks what KFP checks when it loads one: every placeholder names a
// declared input or output, names are unique, the implementation is a container.
#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "component/component_spec.hpp"

namespace kfrun::component {

base::Result<ComponentSpec> load_component_file(const std::filesystem::path& file);
// Parses YAML text; `file_name` is used in messages.
base::Result<ComponentSpec> load_component_text(const std::string& text,
                                                const std::string& file_name);

}  // namespace kfrun::component
