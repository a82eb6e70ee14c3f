// The validator on KFP v2 launcher templates: typed outputs without Argo paths pass; a
// placeholder must name a declared input or output; the pipeline root needs a local path.
#include <gtest/gtest.h>

#include "engine/validator.hpp"
#include "kfp_launcher_support.hpp"
#include "support/engine_harness.hpp"

using kfrun::engine::has_errors;
using kfrun::engine::validate_workflow;
using kfrun::test_support::describe;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::producer_consumer;
using kfrun::test_support::template_named;

TEST(KfpLauncherValidator, LauncherTemplatesWithTypedOutputsAndNoPathsPass) {
    EngineHarness h;
    auto wf = producer_consumer(
        h, "STRING",
        {"{{$}}", "{{$.inputs.parameters['x']}}", "{{$.inputs.artifacts['a'].uri}}",
         R"({"IfPresent": {"InputName": "a", "Then": ["{{$.inputs.artifacts['a'].path}}"]}})",
         "{{$.pipeline_root}}"});
    auto diagnostics = validate_workflow(wf);
    EXPECT_FALSE(has_errors(diagnostics)) << describe(diagnostics);
}

TEST(KfpLauncherValidator, APlaceholderNamingAnUndeclaredInputIsAnError) {
    EngineHarness h;
    auto wf = producer_consumer(
        h, "STRING",
        {"{{$.inputs.parameters['nope']}}", R"({"Concat": ["{{$.outputs.artifacts['z'].path}}"]})",
         R"({"IfPresent": {"InputName": "q", "Then": "x"}})"});
    auto text = describe(validate_workflow(wf));
    EXPECT_NE(text.find("input parameter `nope`"), std::string::npos) << text;
    EXPECT_NE(text.find("output artifact `z`"), std::string::npos) << text;
    EXPECT_NE(text.find("input `q`"), std::string::npos) << text;
}

TEST(KfpLauncherValidator, APipelineRootWithoutALocalPathIsAnError) {
    EngineHarness h;
    auto wf = producer_consumer(h, "STRING", {"x"});
    template_named(wf, "cons").launcher->pipeline_root = "https://example.com/root";
    auto text = describe(validate_workflow(wf));
    EXPECT_NE(text.find("has no local path"), std::string::npos) << text;
}
