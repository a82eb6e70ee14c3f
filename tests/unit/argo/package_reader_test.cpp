// Compiled KFP packages: the pipeline YAML inside a .tar.gz or a .zip (built here with
// libarchive's writer).
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>

#include <fstream>

#include "argo/package_reader.hpp"
#include "argo/workflow_loader.hpp"
#include "support/temp_dir.hpp"

using kfrun::argo::load_workflow_file;
using kfrun::argo::read_pipeline_text;

namespace {

const std::string k_pipeline = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: packaged-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: busybox}
)";

enum class Format { TarGz, Zip };

// Writes an archive holding `members` (name → content) at `path`.
void write_archive(const std::filesystem::path& path, Format format,
                   const std::vector<std::pair<std::string, std::string>>& members) {
    archive* writer = archive_write_new();
    if (format == Format::TarGz) {
        archive_write_add_filter_gzip(writer);
        archive_write_set_format_pax_restricted(writer);
    } else {
        archive_write_set_format_zip(writer);
    }
    ASSERT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK)
        << archive_error_string(writer);
    for (const auto& [name, content] : members) {
        archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, name.c_str());
        archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK) << archive_error_string(writer);
        ASSERT_EQ(archive_write_data(writer, content.data(), content.size()),
                  static_cast<la_ssize_t>(content.size()));
        archive_entry_free(entry);
    }
    archive_write_close(writer);
    archive_write_free(writer);
}

}  // namespace

TEST(PackageReader, ReadsThePipelineInsideATarGz) {
    kfrun::test_support::TempDir dir;
    auto package = dir.path() / "pipeline.tar.gz";
    write_archive(package, Format::TarGz, {{"pipeline.yaml", k_pipeline}});
    auto text = read_pipeline_text(package);
    ASSERT_TRUE(text.ok()) << text.error().to_string();
    EXPECT_EQ(text->text, k_pipeline);
    EXPECT_EQ(text->display_name, package.string() + "!pipeline.yaml");
    auto workflow = load_workflow_file(package);
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    EXPECT_EQ(workflow->generate_name, "packaged-");
    EXPECT_EQ(workflow->sources.file(), package.string() + "!pipeline.yaml");
}

TEST(PackageReader, ReadsThePipelineInsideAZip) {
    kfrun::test_support::TempDir dir;
    auto package = dir.path() / "pipeline.zip";
    write_archive(package, Format::Zip,
                  {{"README.txt", "not this"}, {"pipeline.yaml", k_pipeline}});
    auto workflow = load_workflow_file(package);
    ASSERT_TRUE(workflow.ok()) << workflow.error().to_string();
    EXPECT_EQ(workflow->entrypoint, "main");
}

TEST(PackageReader, APackageWithoutYamlIsRefused) {
    kfrun::test_support::TempDir dir;
    auto package = dir.path() / "empty.tar.gz";
    write_archive(package, Format::TarGz, {{"notes.txt", "nothing"}});
    auto text = read_pipeline_text(package);
    ASSERT_FALSE(text.ok());
    EXPECT_NE(text.error().message.find("no pipeline YAML"), std::string::npos);
}

TEST(PackageReader, APlainYamlFileIsReadAsItIs) {
    kfrun::test_support::TempDir dir;
    auto file = dir.path() / "p.yaml";
    std::ofstream(file) << k_pipeline;
    auto text = read_pipeline_text(file);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->text, k_pipeline);
    EXPECT_EQ(text->display_name, file.string());
}

TEST(PackageReader, AMissingFileIsAnInputError) {
    auto text = read_pipeline_text("/nonexistent/kfrun/p.yaml");
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.error().kind, kfrun::base::ErrorKind::Input);
}
