#pragma once
// Small IR documents for the kfpv2 unit tests, and lookups into the loaded model.
#include <gtest/gtest.h>

#include <string>

#include "kfpv2/ir_loader.hpp"
#include "model/workflow.hpp"

namespace kfrun::kfpv2::testing {

// A one-task pipeline: root task `a` calls comp-a (executor exec-a: busybox `sh -c echo`).
// `task_extra` is spliced into task a (indented 8 spaces), `executor_extra` into exec-a's
// container (8 spaces), `rest` appended at the end (top level).
inline std::string one_task_ir(const std::string& task_extra = "",
                               const std::string& executor_extra = "",
                               const std::string& rest = "") {
    return "pipelineInfo:\n"
           "  name: p\n"
           "schemaVersion: 2.1.0\n"
           "sdkVersion: kfp-2.14.0\n"
           "root:\n"
           "  dag:\n"
           "    tasks:\n"
           "      a:\n"
           "        componentRef: {name: comp-a}\n"
           "        taskInfo: {name: a}\n" +
           task_extra +
           "components:\n"
           "  comp-a:\n"
           "    executorLabel: exec-a\n"
           "deploymentSpec:\n"
           "  executors:\n"
           "    exec-a:\n"
           "      container:\n"
           "        image: busybox\n"
           "        command: [sh, -c, echo]\n" +
           executor_extra + rest;
}

inline model::Workflow load_ok(const std::string& yaml) {
    auto loaded = load_ir_text(yaml, "inline.yaml");
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().to_string()) << "\n" << yaml;
    return loaded.ok() ? std::move(loaded.value()) : model::Workflow();
}

inline base::Error load_error(const std::string& yaml) {
    auto loaded = load_ir_text(yaml, "inline.yaml");
    EXPECT_FALSE(loaded.ok()) << yaml;
    return loaded.ok() ? base::Error() : loaded.error();
}

inline const model::Template& template_named(const model::Workflow& workflow,
                                             const std::string& name) {
    const model::Template* tmpl = workflow.find_template(name);
    EXPECT_NE(tmpl, nullptr) << name;
    static const model::Template k_none;
    return tmpl != nullptr ? *tmpl : k_none;
}

inline const model::TaskCall& task_named(const model::Template& dag, const std::string& name) {
    for (const model::TaskCall& task : dag.dag.tasks) {
        if (task.name == name) {
            return task;
        }
    }
    ADD_FAILURE() << "no task " << name << " in " << dag.name;
    static const model::TaskCall k_none;
    return k_none;
}

inline std::string argument(const model::TaskCall& call, const std::string& name) {
    const model::Parameter* parameter = model::find_by_name(call.arguments.parameters, name);
    EXPECT_NE(parameter, nullptr) << name;
    return parameter != nullptr ? parameter->value.value_or("<none>") : "<missing>";
}

inline bool has_notice(const model::Workflow& workflow, model::Notice::Severity severity,
                       const std::string& path_part) {
    for (const model::Notice& notice : workflow.notices) {
        if (notice.severity == severity && notice.yaml_path.find(path_part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace kfrun::kfpv2::testing
