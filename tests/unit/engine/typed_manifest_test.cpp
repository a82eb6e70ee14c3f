// KFP v2 CreatePVC/DeletePVC manifests are substituted member by member: a value (an upstream
// step's output) stays the member it was bound to. Spliced into the manifest's text, a `"` in a
// pvc_name added a volumeName naming any Docker volume (issue 16, found by trying kfrun as a
// hostile pipeline would).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "engine/typed_manifest.hpp"

using kfrun::engine::Scope;
using kfrun::engine::substitute_typed_manifest;

namespace {

kfrun::model::Parameter input(const std::string& name, const std::string& type) {
    kfrun::model::Parameter parameter;
    parameter.name = name;
    parameter.type = type;
    return parameter;
}

const std::string k_manifest =
    R"({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "{{inputs.parameters.pvc_name}}",
                     "annotations": "{{inputs.parameters.annotations}}"},
        "spec": {"accessModes": "{{inputs.parameters.access_modes}}",
                 "resources": {"requests": {"storage": "{{inputs.parameters.size}}"}}}})";

const std::vector<kfrun::model::Parameter> k_inputs = {
    input("pvc_name", "STRING"), input("annotations", "STRUCT"), input("access_modes", "LIST"),
    input("size", "STRING")};

}  // namespace

TEST(TypedManifest, AQuoteInAValueStaysInsideItsMember) {
    Scope scope;
    scope.set("inputs.parameters.pvc_name", R"(x", "volumeName": "victim)");
    scope.set("inputs.parameters.annotations", "{}");
    scope.set("inputs.parameters.access_modes", R"(["ReadWriteOnce"])");
    scope.set("inputs.parameters.size", R"(1Gi"}}, "volumeName": "victim", "x": {"y": ")");
    auto text = substitute_typed_manifest(k_manifest, k_inputs, scope);
    ASSERT_TRUE(text.ok()) << text.error().to_string();
    auto manifest = nlohmann::json::parse(*text);
    EXPECT_EQ(manifest["metadata"]["name"], R"(x", "volumeName": "victim)");
    EXPECT_FALSE(manifest["spec"].contains("volumeName")) << *text;
    EXPECT_EQ(manifest["spec"].size(), 2u) << *text;
}

TEST(TypedManifest, ListAndStructInputsTakeTheirJsonValue) {
    Scope scope;
    scope.set("inputs.parameters.pvc_name", "data");
    scope.set("inputs.parameters.annotations", R"({"team":"ml"})");
    scope.set("inputs.parameters.access_modes", R"(["ReadWriteMany"])");
    scope.set("inputs.parameters.size", "5Gi");
    auto text = substitute_typed_manifest(k_manifest, k_inputs, scope);
    ASSERT_TRUE(text.ok()) << text.error().to_string();
    auto manifest = nlohmann::json::parse(*text);
    EXPECT_EQ(manifest["metadata"]["annotations"], nlohmann::json({{"team", "ml"}}));
    EXPECT_EQ(manifest["spec"]["accessModes"], nlohmann::json::array({"ReadWriteMany"}));
    EXPECT_EQ(manifest["spec"]["resources"]["requests"]["storage"], "5Gi");
}

TEST(TypedManifest, ATypedInputThatIsNotOfItsTypeIsAnError) {
    Scope scope;
    scope.set("inputs.parameters.pvc_name", "data");
    scope.set("inputs.parameters.annotations", "{}");
    scope.set("inputs.parameters.access_modes", R"("ReadWriteOnce"], "volumeName": "victim)");
    scope.set("inputs.parameters.size", "5Gi");
    auto text = substitute_typed_manifest(k_manifest, k_inputs, scope);
    ASSERT_FALSE(text.ok()) << *text;
    EXPECT_NE(text.error().message.find("access_modes"), std::string::npos) << text.error().message;
}
