// Importer tasks → model Importer templates (issue 17 item 4): the SDK-compiled
// fixtures/kfp-v2/importer.yaml, and the cases the backend refuses.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kfpv2/ir_loader.hpp"

namespace {

using kfrun::model::Template;

const std::filesystem::path k_fixture =
    std::filesystem::path(KFRUN_SOURCE_DIR) / "fixtures" / "kfp-v2" / "importer.yaml";

std::string fixture_text() {
    std::ifstream in(k_fixture);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

const Template& named(const kfrun::model::Workflow& workflow, const std::string& name) {
    const Template* tmpl = workflow.find_template(name);
    if (tmpl == nullptr) {
        throw std::runtime_error("no template " + name);
    }
    return *tmpl;
}

TEST(ImporterTranslation, AnImporterTaskBecomesAnImporterTemplateWithTypeAndMetadata) {
    auto workflow = kfrun::kfpv2::load_ir_file(k_fixture);
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    const Template& text = named(*workflow, "importer");
    EXPECT_EQ(text.kind, Template::Kind::Importer);
    EXPECT_EQ(text.importer.uri, "{{inputs.parameters.uri}}");  // runtimeParameter
    EXPECT_NE(text.importer.yaml_path.find("artifactUri"), std::string::npos);
    ASSERT_EQ(text.outputs.artifacts.size(), 1u);
    EXPECT_EQ(text.outputs.artifacts[0].name, "artifact");
    EXPECT_EQ(text.outputs.artifacts[0].schema_title, "system.Dataset");

    const Template& model = named(*workflow, "importer-2");
    EXPECT_EQ(model.importer.uri, "/tmp/kfrun-v2-importer/model");  // a constant
    EXPECT_EQ(model.outputs.artifacts[0].schema_title, "system.Model");
    EXPECT_EQ(model.outputs.artifacts[0].metadata["layers"], 2);
    EXPECT_EQ(model.outputs.artifacts[0].metadata["framework"], "none");
}

TEST(ImporterTranslation, Row79_AUriFromATaskOutputIsRefusedAsTheBackendDoes) {
    std::string yaml = replaced(fixture_text(), R"(            uri:
              componentInputParameter: text_uri)",
                                R"(            uri:
              taskOutputParameter: {producerTask: importer-2, outputParameterKey: x})");
    auto workflow = kfrun::kfpv2::load_ir_text(yaml, "importer.yaml");
    ASSERT_FALSE(workflow.ok());
    EXPECT_NE(workflow.error().message.find("comes from a task output"), std::string::npos)
        << workflow.error().to_string();
}

TEST(ImporterTranslation, DownloadToWorkspaceIsNotedAndTheArtifactKeepsItsUsualPath) {
    std::string yaml = replaced(fixture_text(), "        reimport: true\n",
                                "        reimport: true\n        downloadToWorkspace: true\n");
    auto workflow = kfrun::kfpv2::load_ir_text(yaml, "importer.yaml");
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    bool noted = false;
    for (const auto& notice : workflow->notices) {
        noted = noted || notice.yaml_path.find("downloadToWorkspace") != std::string::npos;
    }
    EXPECT_TRUE(noted);
}

TEST(ImporterTranslation, AConstantUriWithPlaceholderBracesIsRefused) {
    std::string yaml =
        replaced(fixture_text(), "          constant: /tmp/kfrun-v2-importer/model\n",
                 "          constant: '/tmp/{{workflow.name}}'\n");
    auto workflow = kfrun::kfpv2::load_ir_text(yaml, "importer.yaml");
    ASSERT_FALSE(workflow.ok());
}

}  // namespace
