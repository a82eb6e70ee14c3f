#include "docker/docker_host.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kfrun::docker {
namespace {

TEST(ParseDockerHost, DefaultsToTheStandardSocket) {
    EXPECT_EQ(parse_docker_host("").value(), "/var/run/docker.sock");
    EXPECT_EQ(parse_docker_host("unix://").value(), "/var/run/docker.sock");
}

TEST(ParseDockerHost, AcceptsUnixUrlsAndAbsolutePaths) {
    EXPECT_EQ(parse_docker_host("unix:///run/user/1000/docker.sock").value(),
              "/run/user/1000/docker.sock");
    EXPECT_EQ(parse_docker_host("/tmp/d.sock").value(), "/tmp/d.sock");
}

TEST(ParseDockerHost, RejectsOtherSchemesClearly) {
    for (const char* host : {"tcp://127.0.0.1:2375", "ssh://me@box", "npipe:////./pipe/x"}) {
        const auto result = parse_docker_host(host);
        ASSERT_FALSE(result.ok()) << host;
        EXPECT_NE(result.error().message.find("unix socket only"), std::string::npos);
        EXPECT_NE(result.error().message.find(host), std::string::npos);
    }
}

TEST(ParseDockerHost, RejectsRelativePaths) {
    const auto result = parse_docker_host("unix://docker.sock");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("absolute"), std::string::npos);
}

TEST(ResolveDockerSocket, PrefersTheExplicitHostThenTheEnvironment) {
    const char* saved = std::getenv("DOCKER_HOST");
    const std::string saved_value = saved == nullptr ? "" : saved;
    ::setenv("DOCKER_HOST", "unix:///from/env.sock", 1);
    EXPECT_EQ(resolve_docker_socket("").value(), "/from/env.sock");
    EXPECT_EQ(resolve_docker_socket("unix:///explicit.sock").value(), "/explicit.sock");
    ::unsetenv("DOCKER_HOST");
    EXPECT_EQ(resolve_docker_socket("").value(), "/var/run/docker.sock");
    if (saved != nullptr) {
        ::setenv("DOCKER_HOST", saved_value.c_str(), 1);
    }
}

}  // namespace
}  // namespace kfrun::docker
