#include "docker/daemon_endpoint.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

DaemonEndpoint parsed(std::string_view value) {
    auto result = parse_daemon_host(value, "DOCKER_HOST");
    EXPECT_TRUE(result.ok()) << value << ": " << (result.ok() ? "" : result.error().to_string());
    return result.ok() ? *result : DaemonEndpoint{};
}

std::string refusal(std::string_view value) {
    auto result = parse_daemon_host(value, "DOCKER_HOST");
    EXPECT_FALSE(result.ok()) << value << " was accepted";
    if (result.ok()) {
        return {};
    }
    EXPECT_EQ(result.error().kind, base::ErrorKind::Input);
    return result.error().message;
}

TEST(DaemonEndpoint, EmptyAndUnixAreTheLocalSocket) {
    EXPECT_EQ(parsed("").path, "/var/run/docker.sock");
    EXPECT_EQ(parsed("unix://").path, "/var/run/docker.sock");
    EXPECT_EQ(parsed("unix:///run/user/1000/docker.sock").path, "/run/user/1000/docker.sock");
    EXPECT_EQ(parsed("/tmp/d.sock").path, "/tmp/d.sock");
    EXPECT_FALSE(parsed("unix:///tmp/d.sock").remote());
    EXPECT_EQ(parsed("unix:///tmp/d.sock").url(), "unix:///tmp/d.sock");
}

TEST(DaemonEndpoint, TcpHasAHostAndMaybeAPort) {
    const auto endpoint = parsed("tcp://10.0.0.2:2376");
    EXPECT_EQ(endpoint.kind, DaemonEndpoint::Kind::Tcp);
    EXPECT_EQ(endpoint.host, "10.0.0.2");
    EXPECT_EQ(endpoint.port, "2376");
    EXPECT_TRUE(endpoint.remote());
    EXPECT_EQ(endpoint.url(), "tcp://10.0.0.2:2376");
    EXPECT_EQ(parsed("tcp://box.example").port, "");  // the default comes with TLS or not
    EXPECT_EQ(parsed("tcp://:2375").host, "127.0.0.1");
    EXPECT_EQ(parsed("tcp://[::1]:2375").host, "::1");
    EXPECT_EQ(parsed("tcp://[::1]:2375").url(), "tcp://[::1]:2375");
    EXPECT_EQ(parsed("tcp://box:2375/").host, "box");
}

TEST(DaemonEndpoint, SshHasAnOptionalUserAndPort) {
    const auto endpoint = parsed("ssh://me@builder.lan:2222");
    EXPECT_EQ(endpoint.kind, DaemonEndpoint::Kind::Ssh);
    EXPECT_EQ(endpoint.user, "me");
    EXPECT_EQ(endpoint.host, "builder.lan");
    EXPECT_EQ(endpoint.port, "2222");
    EXPECT_EQ(endpoint.url(), "ssh://me@builder.lan:2222");
    const auto bare = parsed("ssh://builder");
    EXPECT_EQ(bare.user, "");
    EXPECT_EQ(bare.port, "");
    EXPECT_EQ(bare.url(), "ssh://builder");
}

TEST(DaemonEndpoint, RefusesWhatTheCliRefusesAndHostileValues) {
    EXPECT_NE(refusal("npipe:////./pipe/docker_engine").find("npipe:// scheme"), std::string::npos);
    EXPECT_NE(refusal("http://box:2375").find("not supported"), std::string::npos);
    EXPECT_NE(refusal("unix://docker.sock").find("absolute"), std::string::npos);
    EXPECT_NE(refusal("tcp://box:0").find("port"), std::string::npos);
    EXPECT_NE(refusal("tcp://box:99999").find("port"), std::string::npos);
    EXPECT_NE(refusal("tcp://box:12ab").find("port"), std::string::npos);
    EXPECT_NE(refusal("tcp://box:2375/path").find("no path"), std::string::npos);
    EXPECT_NE(refusal("ssh://me@box/var/run").find("no path"), std::string::npos);
    EXPECT_NE(refusal("ssh://me:secret@box").find("no password"), std::string::npos);
    // An option smuggled in as the host or user never reaches ssh's command line.
    refusal("ssh://-oProxyCommand=touch${IFS}x");
    refusal("ssh://-lroot@box");
    refusal("ssh://me@box;reboot");
    refusal("tcp://[::1");
    refusal("box:2375");
    refusal(std::string(2000, 'a'));
    // The message names the setting and never echoes more than a bounded prefix.
    const std::string long_value = "tcp://" + std::string(1000, 'x') + ":1:2";
    EXPECT_LT(refusal(long_value).size(), 400U);
    EXPECT_EQ(refusal("ftp://x").rfind("DOCKER_HOST=ftp://x", 0), 0U);
}

}  // namespace
}  // namespace kfrun::docker
