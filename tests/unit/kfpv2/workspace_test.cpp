// pipelineConfig.workspace (issue 17 item 5): one volume a run, mounted at /kfp-workspace in
// every container task; {{$.workspace_path}} in a task's constant is that path (as the backend's
// driver replaces it anywhere in the string).
#include <gtest/gtest.h>

#include "kfpv2/ir_loader.hpp"

namespace {

const std::filesystem::path k_fixtures = std::filesystem::path(KFRUN_SOURCE_DIR) / "fixtures";

TEST(Workspace, EveryContainerTaskMountsTheRunsWorkspaceVolumeAndThePlaceholderIsItsPath) {
    for (const char* file :
         {"kfp-v2/workspace.yaml", "conformance/kfp-v2/pipeline_with_workspace.yaml"}) {
        auto workflow = kfrun::kfpv2::load_ir_file(k_fixtures / file);
        ASSERT_TRUE(workflow.ok()) << file << ": " << workflow.error().to_string();
        ASSERT_EQ(workflow->volume_claim_templates.size(), 1u) << file;
        EXPECT_EQ(workflow->volume_claim_templates[0].name, "kfp-workspace");
        int mounted = 0;
        for (const auto& tmpl : workflow->templates) {
            if (!tmpl.launcher) {
                continue;
            }
            ASSERT_EQ(tmpl.container.volume_mounts.size(), 1u) << tmpl.name;
            EXPECT_EQ(tmpl.container.volume_mounts[0].mount_path, "/kfp-workspace");
            ++mounted;
        }
        EXPECT_EQ(mounted, 2) << file;
        bool replaced = false;
        for (const auto& tmpl : workflow->templates) {
            for (const auto& task : tmpl.dag.tasks) {
                for (const auto& argument : task.arguments.parameters) {
                    EXPECT_EQ(argument.value->find("workspace_path"), std::string::npos);
                    replaced = replaced || argument.value->rfind("/kfp-workspace", 0) == 0;
                }
            }
        }
        EXPECT_TRUE(replaced) << file;
    }
}

}  // namespace
