// An image or resource field that is exactly `{{$.inputs.parameters['pipelinechannel--x']}}`,
// an input the task binds but the component does not declare (conformance k8s_parameters.yaml):
// the driver resolves it from the task's inputs; kfrun binds it as a hidden kfrun-* input.
#include <gtest/gtest.h>

#include "kfpv2/ir_loader.hpp"

namespace {

TEST(ChannelInputs, AnImageAndResourcesFromUndeclaredTaskInputsBecomeHiddenInputs) {
    auto workflow = kfrun::kfpv2::load_ir_file(std::filesystem::path(KFRUN_SOURCE_DIR) /
                                               "fixtures/conformance/kfp-v2/k8s_parameters.yaml");
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    const auto* tmpl = workflow->find_template("assert-values");
    ASSERT_NE(tmpl, nullptr);
    EXPECT_EQ(tmpl->container.image,
              "{{inputs.parameters.kfrun-channel-pipelinechannel--container_image}}");
    EXPECT_EQ(tmpl->container.resources.limits.at("cpu"),
              "{{inputs.parameters.kfrun-channel-pipelinechannel--cpu_limit}}");
    EXPECT_EQ(tmpl->container.resources.requests.at("memory"),
              "{{inputs.parameters.kfrun-channel-pipelinechannel--generate-requests-resources-"
              "memory_request_out}}");
    std::string image_argument;
    std::string request_argument;
    for (const auto& task : workflow->find_template(workflow->entrypoint)->dag.tasks) {
        for (const auto& argument : task.arguments.parameters) {
            if (argument.name == "kfrun-channel-pipelinechannel--container_image") {
                image_argument = *argument.value;
            }
            if (argument.name ==
                "kfrun-channel-pipelinechannel--generate-requests-resources-memory_request_out") {
                request_argument = *argument.value;
            }
        }
    }
    EXPECT_EQ(image_argument, "{{inputs.parameters.container_image}}");
    EXPECT_EQ(request_argument,
              "{{tasks.generate-requests-resources.outputs.parameters.memory_request_out}}");
}

}  // namespace
