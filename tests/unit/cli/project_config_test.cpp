#include "cli/project_config.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace kfrun::cli
