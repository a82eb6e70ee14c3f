// Limits on pipeline files (issue 16 finding 7): a 1 KB alias bomb ("billion laughs"), a file
// larger than yaml-bytes and a package that decompresses past package-bytes. The bomb ran
// `validate` to 22 GiB before the fix: it runs in a child process capped at 2 GiB.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>

#include <cstdlib>
#include <fstream>

#include "argo/package_reader.hpp"
#include "argo/workflow_loader.hpp"
#include "base/limits.hpp"
#include "support/sanitizers.hpp"
#include "support/temp_dir.hpp"

using kfrun::argo::load_workflow_text;

namespace {

// Nine levels of nine aliases each: 9^9 (387 million) strings once expanded, in ~1 KB.
std::string alias_bomb() {
    std::string text =
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: wf}\nx:\n"
        "  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n";
    std::string previous = "a";
    for (char level = 'b'; level <= 'i'; ++level) {
        std::string name(1, level);
        text += "  " + name + ": &" + name + " [";
        for (int i = 0; i < 9; ++i) {
            text += (i ? ",*" : "*") + previous;
        }
        text += "]\n";
        previous = name;
    }
    text +=
        "spec:\n  entrypoint: main\n  arguments:\n    parameters:\n    - name: p\n"
        "      value: *i\n  templates:\n  - name: main\n    container: {image: busybox}\n";
    return text;
}

// A forked child may use 2 GiB of address space at most (not under a sanitizer: its shadow
// memory alone is more; the limits are checked all the same).
void cap_memory() {
    if (kfrun::test_support::k_sanitized) {
        return;
    }
    rlimit limit{};
    limit.rlim_cur = limit.rlim_max = 2ull << 30;
    setrlimit(RLIMIT_AS, &limit);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(YamlLimits, AnAliasBombIsRefusedBeforeItIsExpanded) {
    std::string bomb = alias_bomb();
    ASSERT_LT(bomb.size(), 1200u);
    EXPECT_EXIT(
        {
            cap_memory();
            auto workflow = load_workflow_text(bomb, "bomb.yaml");
            EXPECT_FALSE(workflow.ok());
            if (!workflow.ok()) {
                // Refused at the alias that crosses the limit, named by line and column.
                EXPECT_EQ(workflow.error().where.rfind("bomb.yaml:", 0), 0u);
                EXPECT_EQ(workflow.error().message,
                          "the YAML holds more than 1000000 nodes once its aliases are "
                          "expanded (limit yaml-nodes=1000000; raise it with --limit "
                          "yaml-nodes=VALUE)");
            }
            std::exit(::testing::Test::HasFailure() ? 1 : 0);
        },
        ::testing::ExitedWithCode(0), "");
}

TEST(YamlLimits, AFewAliasesStillLoad) {
    auto workflow = load_workflow_text(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
  templates:
  - name: main
    container: &c {image: busybox, command: [echo]}
  - name: other
    container: *c
)",
                                       "ok.yaml");
    EXPECT_TRUE(workflow.ok()) << workflow.error().to_string();
}

TEST(YamlLimits, AFileLargerThanYamlBytesIsRefused) {
    kfrun::base::Limits limits;
    limits.yaml_bytes = 1 << 10;
    kfrun::base::ScopedLimits scoped(limits);
    std::string text =
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n# " + std::string(2000, 'x') + "\n";
    auto workflow = load_workflow_text(text, "big.yaml");
    ASSERT_FALSE(workflow.ok());
    EXPECT_EQ(workflow.error().to_string(),
              "big.yaml: the YAML is " + std::to_string(text.size()) +
                  " bytes, more than allowed (limit yaml-bytes=1KiB; raise it with --limit "
                  "yaml-bytes=VALUE)");

    kfrun::test_support::TempDir dir("kfrun-limits");
    auto file = dir.path() / "big.yaml";
    std::ofstream(file) << text;
    auto read = kfrun::argo::read_pipeline_text(file);
    ASSERT_FALSE(read.ok());
    EXPECT_TRUE(contains(read.error().message, "yaml-bytes=1KiB")) << read.error().message;
}

TEST(YamlLimits, APackageIsReadNoFurtherThanPackageBytes) {
    kfrun::base::Limits limits;
    limits.package_bytes = 1 << 20;
    kfrun::base::ScopedLimits scoped(limits);
    kfrun::test_support::TempDir dir("kfrun-limits");
    auto file = dir.path() / "bomb.tar.gz";
    // 64 MiB of spaces gzip to ~64 KiB: a decompression bomb at 1000:1.
    archive* writer = archive_write_new();
    archive_write_add_filter_gzip(writer);
    archive_write_set_format_pax_restricted(writer);
    ASSERT_EQ(archive_write_open_filename(writer, file.c_str()), ARCHIVE_OK);
    archive_entry* entry = archive_entry_new();
    const std::size_t size = 64u << 20;
    archive_entry_set_pathname(entry, "pipeline.yaml");
    archive_entry_set_size(entry, static_cast<la_int64_t>(size));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK);
    std::string chunk(1 << 20, ' ');
    for (std::size_t written = 0; written < size; written += chunk.size()) {
        archive_write_data(writer, chunk.data(), chunk.size());
    }
    archive_entry_free(entry);
    archive_write_close(writer);
    archive_write_free(writer);
    ASSERT_LT(std::filesystem::file_size(file), 1u << 20);

    auto read = kfrun::argo::read_pipeline_text(file);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().to_string(),
              file.string() +
                  ": pipeline.yaml decompresses to more than allowed (limit "
                  "package-bytes=1MiB; raise it with --limit package-bytes=VALUE)");
}
