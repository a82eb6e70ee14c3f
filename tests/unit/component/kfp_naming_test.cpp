// KFP v1's naming rules, with the names real compiled pipelines carry.
#include <gtest/gtest.h>

#include "component/kfp_naming.hpp"

namespace kfrun::component {
namespace {

TEST(KfpNaming, FileNamesKeepSafeCharactersAndJoinRunsWithUnderscore) {
    EXPECT_EQ(sanitize_file_name("Hash algorithm"), "Hash_algorithm");
    EXPECT_EQ(sanitize_file_name("MLPipeline UI metadata"), "MLPipeline_UI_metadata");
    EXPECT_EQ(sanitize_file_name("a  /b.c-d_e"), "a_b.c-d_e");
}

TEST(KfpNaming, KubernetesNamesAreLowerCaseWithSingleDashes) {
    EXPECT_EQ(sanitize_k8s_name("Calculate data hash"), "calculate-data-hash");
    EXPECT_EQ(sanitize_k8s_name("  Create Secret - Kubernetes Cluster "),
              "create-secret-kubernetes-cluster");
    EXPECT_EQ(sanitize_k8s_name("optional_input_1"), "optional-input-1");
    EXPECT_EQ(sanitize_k8s_name("---"), "");
}

TEST(KfpNaming, OutputNamesKeepCapitalsAndUnderscores) {
    // As in a compiled pipeline: serve-a-model-with-kserve-InferenceService-Status.
    EXPECT_EQ(sanitize_k8s_name("InferenceService Status", true), "InferenceService-Status");
    EXPECT_EQ(sanitize_k8s_name("output_bool_parameter", true), "output_bool_parameter");
}

TEST(KfpNaming, RecognisesTheSpecialKfpOutputs) {
    EXPECT_EQ(special_output_name("MLPipeline UI metadata"), "mlpipeline-ui-metadata");
    EXPECT_EQ(special_output_name("MLPipeline UI Metadata"), "mlpipeline-ui-metadata");
    EXPECT_EQ(special_output_name("mlpipeline_metrics"), "mlpipeline-metrics");
    EXPECT_EQ(special_output_name("Metrics"), std::nullopt);
}

TEST(KfpNaming, ParameterTypesAreTheValueTypes) {
    for (const char* type : {"String", "Integer", "Float", "Boolean", "Bool", "JsonObject",
                             "JsonArray", "str", "int", "float", "bool"}) {
        EXPECT_TRUE(is_parameter_type(type)) << type;
    }
    EXPECT_TRUE(is_parameter_type(R"({"JsonObject": {"data_type": "x"}})"));
    for (const char* type : {"", "Dataset", "Model", "GCSPath", "ApacheParquet", "UI metadata"}) {
        EXPECT_FALSE(is_parameter_type(type)) << type;
    }
}

}  // namespace
}  // namespace kfrun::component
