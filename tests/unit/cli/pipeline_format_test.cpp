// load_pipeline, the one dispatch point: the format is read from the file — KFP v2 IR (also
// inside a .tar.gz/.zip package) goes to the kfpv2 front end, an Argo Workflow to the v1 one.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <sstream>

#include "cli/pipeline_input.hpp"
#include "support/temp_dir.hpp"

namespace {

const std::filesystem::path k_source = KFRUN_SOURCE_DIR;

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool has_launcher_template(const kfrun::model::Workflow& workflow) {
    for (const auto& tmpl : workflow.templates) {
        if (tmpl.launcher) {
            return true;
        }
    }
    return false;
}

void write_archive(const std::filesystem::path& path, bool zip, const std::string& member,
                   const std::string& content) {
    archive* writer = archive_write_new();
    if (zip) {
        archive_write_set_format_zip(writer);
    } else {
        archive_write_add_filter_gzip(writer);
        archive_write_set_format_pax_restricted(writer);
    }
    ASSERT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK);
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, member.c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
    ASSERT_EQ(archive_write_data(writer, content.data(), content.size()),
              static_cast<la_ssize_t>(content.size()));
    archive_entry_free(entry);
    archive_write_close(writer);
    archive_write_free(writer);
}

}  // namespace

TEST(PipelineFormat, AnIrFileIsLoadedByTheV2FrontEnd) {
    auto loaded =
        kfrun::cli::load_pipeline(k_source / "fixtures/conformance/kfp-v2/hello_world.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ(loaded->workflow.generate_name, "hello-world-");  // pipelineInfo.name's last part
    EXPECT_EQ(loaded->workflow.display_name, "namespace/n1/pipeline/hello-world");
    EXPECT_TRUE(has_launcher_template(loaded->workflow));
    EXPECT_TRUE(loaded->valid());
}

TEST(PipelineFormat, AnArgoWorkflowStillGoesToTheV1FrontEnd) {
    auto loaded =
        kfrun::cli::load_pipeline(k_source / "fixtures/conformance/argo-v1/condition.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_FALSE(has_launcher_template(loaded->workflow));
}

TEST(PipelineFormat, AnIrErrorNamesFileLineAndPath) {
    auto loaded = kfrun::cli::load_pipeline(
        k_source / "fixtures/conformance/kfp-v2/hello_world_schema_2_0_0.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("KFP only supports schema version 2.1.0"),
              std::string::npos);
    EXPECT_NE(loaded.error().where.find("hello_world_schema_2_0_0.yaml:54:1 (schemaVersion)"),
              std::string::npos)
        << loaded.error().where;
}

TEST(PipelineFormat, IrInsideATarGzOrZipPackageIsLoaded) {
    kfrun::test_support::TempDir dir;
    const std::string ir = read(k_source / "fixtures/conformance/kfp-v2/hello_world.yaml");
    for (bool zip : {false, true}) {
        auto package = dir.path() / (zip ? "p.zip" : "p.tar.gz");
        write_archive(package, zip, "pipeline.yaml", ir);
        auto loaded = kfrun::cli::load_pipeline(package);
        ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
        EXPECT_TRUE(has_launcher_template(loaded->workflow));
    }
}
