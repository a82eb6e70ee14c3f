#include "cli/project_config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace kfrun::cli {
namespace {

// A .kfrun.yaml found by walking up may not choose the daemon: it decides which machine
// receives the pipeline's secrets and inputs.
TEST(ProjectConfig, AFoundFileMayNotSetTheDockerHost) {
    const ConfigSetting setting{"", "docker-host", {"ssh://someone@elsewhere"}, 3};
    const auto refusal = refusal_in_found_file(setting, "/repo/.kfrun.yaml");
    ASSERT_TRUE(refusal.has_value());
    EXPECT_NE(refusal->find("/repo/.kfrun.yaml:3: `docker-host` chooses which machine receives "
                            "the pipeline's secrets and inputs"),
              std::string::npos)
        << *refusal;
    EXPECT_NE(refusal->find("--config /repo/.kfrun.yaml"), std::string::npos) << *refusal;
    // Nor in a command's own section.
    const ConfigSetting in_section{"run", "docker-host", {"tcp://10.0.0.1:2376"}, 7};
    EXPECT_TRUE(refusal_in_found_file(in_section, "/repo/.kfrun.yaml").has_value());
    // Other settings stay allowed.
    const ConfigSetting parallelism{"", "parallelism", {"4"}, 1};
    EXPECT_FALSE(refusal_in_found_file(parallelism, "/repo/.kfrun.yaml").has_value());
}

// A .kfrun.yaml comes with whatever repository holds the working folder: it was read with no
// size limit and its aliases were copied out in full (1 MB standing for 60 GB of strings).
TEST(ProjectConfig, AFoundFileIsBoundedLikeAPipeline) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kfrun-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / ".kfrun.yaml";
    std::string text = "x0: &x0 [\"" + std::string(1000, 'a') + "\"]\n";
    for (int i = 1; i <= 8; ++i) {
        const std::string previous = "*x" + std::to_string(i - 1);
        text += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " [";
        for (int j = 0; j < 10; ++j) {
            text += (j ? ", " : "") + previous;
        }
        text += "]\n";
    }
    std::ofstream(file) << text << "image-map: *x8\n";
    auto config = load_project_config(file);
    std::filesystem::remove_all(dir);
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().message.find("once its aliases are expanded"), std::string::npos)
        << config.error().message;
}

}  // namespace
}  // namespace kfrun::cli
