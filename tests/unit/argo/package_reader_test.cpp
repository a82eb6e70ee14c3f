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

// A gzip stream libarchive cannot open and gives no error text for (NULL): kfrun read the NULL
// as a C string, SIGSEGV (found by fuzz_argo_package).
TEST(PackageReader, AnArchiveLibarchiveCannotOpenIsAnErrorNotACrash) {
    const std::string bytes(
        "\x1f\x8b\x08\x00\x01\xd4\x00\x00\x02\xff\xed\xcd\x31\x12\xc2\x20\x00\x44\x51\x6a\x4e\xc1"
        "\x09\x22\x68\xb4\xe0\x20\x5a\x58\x31\x8a\x8a\xc1\xc0\x40\xd4\xf1\xf6\x66\x52\x58\xd8\x9b"
        "\xc6\xff\x9a\xdd\xd9\x66\x73\xc8\x3e\x86\xde\x37\x2f\x77\x8b\xe2\x37\xf4\x68\xd3\xb6\x53"
        "\x8e\xbe\x53\x1b\xbd\xfe\xf4\x69\x37\xba\x5d\x2d\x85\xd2\x62\x06\xf7\x3a\xb8\x32\xde\x8b"
        "\xff\xe4\x72\xd8\xfa\x52\x43\xea\xad\x72\xe5\x9c\x72\x49\xd7\x26\xa4\xc5\xc3\xb8\x98\x2f"
        "\xce\xc8\x2e\xf4\x47\xab\x76\xa9\x74\xa7\x98\x9e\xb2\x66\x7f\xb0\x52\xa9\xc1\xdf\x72\x74"
        "\x83\xaf\x56\xed\xa5\x00\x00\x00\x65\x79\x23\x00\x00\x00\x00\x00\x00\x00\x00\xcc\xed\x79"
        "\x53\x65\x79\x23\x00\x28\x00\x00",
        162);
    kfrun::test_support::TempDir dir;
    auto package = dir.path() / "broken.tar.gz";
    std::ofstream(package, std::ios::binary) << bytes;
    auto text = read_pipeline_text(package);
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.error().kind, kfrun::base::ErrorKind::Input);
    EXPECT_NE(text.error().message.find("not a readable package"), std::string::npos)
        << text.error().message;
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
