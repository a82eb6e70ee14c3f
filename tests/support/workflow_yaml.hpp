#pragma once
// workflow_yaml: the Workflow header around a test's `spec:` body, so inline YAML in tests
// shows only what matters. The body is indented by two spaces, as under `spec:`.
#include <string>
#include <string_view>

namespace kfrun::test_support {

inline std::string workflow_yaml(std::string_view spec_body, std::string_view name = "wf") {
    std::string text = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: ";
    text += name;
    text += "\nspec:\n";
    text += spec_body;
    return text;
}

}  // namespace kfrun::test_support
