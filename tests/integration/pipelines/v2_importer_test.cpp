// KFP v2 importers end to end on the real daemon (issue 17 item 4; rows 78–79): the
// SDK-compiled fixtures/kfp-v2/importer.yaml (source examples/src/v2/importer.py) imports a
// file:// URI from a pipeline input and a plain path constant; a container reads both. Local
// paths need --allow-host-path; a remote URI is read through --artifact-map PREFIX=DIR.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

// The fixture's constant and default URIs name this folder.
const fs::path k_folder = "/tmp/kfrun-v2-importer";

class KfpV2Importer : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        fs::create_directories(k_folder / "model");
        std::ofstream(k_folder / "hello.txt") << "hello from a file URI";
        std::ofstream(k_folder / "model" / "weights.txt") << "w=1";
        m_bucket = fs::temp_directory_path() / ("kfrun-v2-bucket-" + std::to_string(::getpid()));
        fs::create_directories(m_bucket / "sets");
        std::ofstream(m_bucket / "sets" / "hello.txt") << "hello from a bucket";
        fs::create_symlink("/etc/hostname", m_bucket / "sets" / "link.txt");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(m_bucket, ec);
    }
    std::string summary(const KfrunResult& result) {
        const auto& parameters = result.step("read-both")["outputs"]["parameters"];
        return parameters.contains("summary") ? parameters["summary"].get<std::string>()
                                              : "(absent)";
    }
    std::string fixture() {
        return KfrunProcess::fixture("fixtures/kfp-v2/importer.yaml").string();
    }

    KfrunProcess kfrun;
    fs::path m_bucket;
};

TEST_F(KfpV2Importer, ALocalPathIsRefusedBeforeAnythingStartsUnlessTheFolderIsAllowed) {
    KfrunResult refused = kfrun.run(fixture());
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("--allow-host-path /tmp/kfrun-v2-importer/model"),
              std::string::npos)
        << refused.output;

    KfrunResult result = kfrun.run(fixture(), {"--allow-host-path", k_folder.string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(summary(result),
              "hello from a file URI | w=1 | file:///tmp/kfrun-v2-importer/hello.txt");
    // The importer ran no container; its artifact keeps the URI, type and metadata.
    const auto& model = result.step("importer-2")["outputs"]["artifacts"][0];
    EXPECT_EQ(model["uri"], "/tmp/kfrun-v2-importer/model") << model;
    EXPECT_EQ(model["type"]["schemaTitle"], "system.Model") << model;
    EXPECT_EQ(model["metadata"]["layers"], 2) << model;
}

TEST_F(KfpV2Importer, ARemoteUriIsReadFromTheFolderArtifactMapGivesItsPrefix) {
    const std::vector<std::string> flags = {"--allow-host-path", k_folder.string(), "-p",
                                            "text_uri=gs://kfrun-bucket/sets/hello.txt"};
    KfrunResult unmapped = kfrun.run(fixture(), flags);
    EXPECT_EQ(unmapped.exit_code, 1) << unmapped.output;  // row 79: the importer task fails
    EXPECT_NE(unmapped.output.find("--artifact-map gs://kfrun-bucket=DIR"), std::string::npos)
        << unmapped.output;

    std::vector<std::string> mapped = flags;
    mapped.insert(mapped.end(), {"--artifact-map", "gs://kfrun-bucket=" + m_bucket.string()});
    KfrunResult result = kfrun.run(fixture(), mapped);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(summary(result), "hello from a bucket | w=1 | gs://kfrun-bucket/sets/hello.txt");

    // A link in the mapped folder is not followed out of it.
    std::vector<std::string> link = {"--allow-host-path",
                                     k_folder.string(),
                                     "-p",
                                     "text_uri=gs://kfrun-bucket/sets/link.txt",
                                     "--artifact-map",
                                     "gs://kfrun-bucket=" + m_bucket.string()};
    KfrunResult escaped = kfrun.run(fixture(), link);
    EXPECT_EQ(escaped.exit_code, 1) << escaped.output;
    EXPECT_NE(escaped.output.find("not followed"), std::string::npos) << escaped.output;
}

}  // namespace
}  // namespace kfrun::testing
