// `kfrun run-component` on real KFP v1 component specs (fixtures/conformance/components),
// their public images mapped to the fixture images: inputPath files and directories,
// inputValue with defaults, optional inputs behind `if`/`isPresent`, outputs written to
// --output-dir.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string spec(const std::string& name) {
    return KfrunProcess::fixture("fixtures/conformance/components/" + name).string();
}

class RunComponent : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
    }

    KfrunResult run_component(const std::string& component, const std::vector<std::string>& args) {
        std::vector<std::string> full = {"run-component",
                                         component,
                                         "--no-color",
                                         "--data-dir",
                                         m_kfrun.data_dir().string(),
                                         "--cache-dir",
                                         m_kfrun.cache_dir().string(),
                                         "--output-dir",
                                         out().string()};
        full.insert(full.end(), args.begin(), args.end());
        return m_kfrun.exec(full);
    }

    std::filesystem::path out() const { return m_kfrun.work_dir() / "out"; }

    KfrunProcess m_kfrun;
};

TEST_F(RunComponent, CalculateHashOfAFileWithTheDefaultAlgorithm) {
    std::filesystem::path data = m_kfrun.work_dir() / "data.txt";
    write_text(data, "some bytes to hash\n");
    KfrunResult result = run_component(spec("basics__Calculate_hash__component.yaml"),
                                       {"--input-file", "Data=" + data.string(), "--image-map",
                                        "alpine=kfrun-fixtures/busybox:1"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(read_text(out() / "Hash"), sha256_of("some bytes to hash\n") + "\n");
}

TEST_F(RunComponent, CalculateHashWithAnUnknownAlgorithmFails) {
    std::filesystem::path data = m_kfrun.work_dir() / "data.txt";
    write_text(data, "x");
    KfrunResult result = run_component(
        spec("basics__Calculate_hash__component.yaml"),
        {"--input-file", "Data=" + data.string(), "--input", "Hash algorithm=CRC32",
         "--image-map-file", KfrunProcess::fixture("fixtures/image-map.txt").string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("Unsupported hash algorithm crc32"), std::string::npos)
        << result.output;
}

TEST_F(RunComponent, GetFileTakesADirectoryInput) {
    std::filesystem::path dir = m_kfrun.work_dir() / "tree";
    write_text(dir / "a.txt", "first\n");
    write_text(dir / "sub" / "b.txt", "second\n");
    KfrunResult result = run_component(
        spec("filesystem__get_file__component.yaml"),
        {"--input-file", "Directory=" + dir.string(), "--input", "Subpath=sub/b.txt",
         "--image-map-file", KfrunProcess::fixture("fixtures/image-map.txt").string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(read_text(out() / "File"), "second\n");
}

TEST_F(RunComponent, BuildDictPassesOnlyThePresentOptionalInputs) {
    KfrunResult result =
        run_component(spec("json__Build_dict__component.yaml"),
                      {"--input", "key_1=name", "--input", "value_1=\"kfrun\"", "--input",
                       "key_3=sizes", "--input", "value_3=[1, 2]", "--image-map-file",
                       KfrunProcess::fixture("fixtures/image-map.txt").string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    nlohmann::json output = nlohmann::json::parse(read_text(out() / "Output"), nullptr, false);
    EXPECT_EQ(output, nlohmann::json({{"name", "kfrun"}, {"sizes", {1, 2}}}))
        << read_text(out() / "Output");
}

TEST_F(RunComponent, AnUnmappedRegistryImageIsReportedNotPulledForever) {
    std::filesystem::path data = m_kfrun.work_dir() / "data.txt";
    write_text(data, "x");
    KfrunResult result = run_component(spec("basics__Calculate_hash__component.yaml"),
                                       {"--input-file", "Data=" + data.string(), "--image-map",
                                        "alpine=kfrun-fixtures/absent:1", "--pull", "never"});
    EXPECT_NE(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("kfrun-fixtures/absent:1"), std::string::npos) << result.output;
}

// An output named ".." was written to --output-dir/..: kfrun first removed that path, i.e. the
// parent of the output folder with everything beside it. Its file is now "_..", in the folder
// ("." gets "_." the same way).
TEST_F(RunComponent, AnOutputNamedDotDotStaysInTheOutputFolder) {
    std::filesystem::path component = m_kfrun.work_dir() / "dotdot.yaml";
    write_text(component, R"YAML(name: evil
outputs:
- {name: "..", type: String}
implementation:
  container:
    image: kfrun-fixtures/busybox:1
    command:
    - sh
    - -c
    - 'mkdir -p "$(dirname "$0")"; echo up > "$0"'
    - {outputPath: ".."}
)YAML");
    std::filesystem::path neighbour = m_kfrun.work_dir() / "neighbour.txt";
    write_text(neighbour, "keep me\n");
    KfrunResult result = run_component(component.string(), {});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(read_text(neighbour), "keep me\n") << "a file beside the output folder is gone";
    EXPECT_EQ(read_text(out() / "_.."), "up\n");
}

}  // namespace
}  // namespace kfrun::testing
