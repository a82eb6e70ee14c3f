// The Docker client's transport against a scripted fake daemon: negotiation, request framing,
// error formatting, streaming past Beast's 8 MiB default and timeouts. No Docker needed.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "docker/docker_client.hpp"
#include "docker/docker_error.hpp"
#include "fake_daemon.hpp"

namespace kfrun::docker {
namespace {

using testing::FakeDaemon;
using testing::FakeReply;
using testing::FakeRequest;
using Clock = std::chrono::steady_clock;

// Timeouts generous enough for a loaded test machine (the 20 MiB stream once took > 300 ms
// under a parallel ctest); the tests of the timeouts themselves pass short ones.
DockerConfig config_for(const FakeDaemon& daemon, Millis timeout = Millis(5000)) {
    DockerConfig config;
    config.host = daemon.host();
    config.quick_timeout = timeout;
    config.call_timeout = timeout;
    config.idle_timeout = timeout;
    config.pull_timeout = std::max(timeout, Millis(2000));
    return config;
}

// Answers /_ping, then hands everything else to `rest`.
FakeDaemon::Handler with_ping(std::function<FakeReply(const FakeRequest&)> rest,
                              std::string version = "1.41") {
    return [rest = std::move(rest), version](const FakeRequest& request) {
        if (request.line() == "GET /_ping HTTP/1.1") {
            return testing::ping_reply(version);
        }
        return rest(request);
    };
}

TEST(DockerClientTransport, NegotiatesDownToOurVersionAndPrefixesEveryPath) {
    FakeDaemon daemon(with_ping(
        [](const FakeRequest&) {
            return testing::http_reply(404, R"({"message":"No such image: nope:1"})");
        },
        "1.44"));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    EXPECT_EQ(client->api_version(), (ApiVersion{1, 41}));
    auto image = client->inspect_image("nope:1");
    ASSERT_TRUE(image.ok()) << image.error().to_string();
    EXPECT_FALSE(image->has_value());
    const auto requests = daemon.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].line(), "GET /_ping HTTP/1.1");
    EXPECT_TRUE(requests[0].has_header("Host: docker"));
    EXPECT_EQ(requests[1].line(), "GET /v1.41/images/nope:1/json HTTP/1.1");
    EXPECT_TRUE(requests[1].has_header("Host: docker"));
}

TEST(DockerClientTransport, RefusesDaemonsOlderThanTheApiWeNeed) {
    FakeDaemon daemon(
        with_ping([](const FakeRequest&) { return testing::http_reply(500, ""); }, "1.40"));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().message,
              "Docker API 1.41 or newer required; the daemon at " + daemon.host() + " speaks 1.40");
}

TEST(DockerClientTransport, StartsWithAnEmptyBodyAndReportsStatusAndMessage) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) {
        return testing::http_reply(
            400, R"({"message":"exec: \"nope\": executable file not found in $PATH"})");
    }));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    const std::string id(64, 'c');
    auto started = client->start_container(id);
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().where, "docker POST /containers/cccccccccccc/start: HTTP 400");
    EXPECT_EQ(started.error().message, "exec: \"nope\": executable file not found in $PATH");
    EXPECT_EQ(http_status(started.error()), 400u);
    const auto request = daemon.requests().back();
    EXPECT_EQ(request.line(), "POST /v1.41/containers/" + id + "/start HTTP/1.1");
    EXPECT_TRUE(request.has_header("Content-Length: 0"));
    EXPECT_EQ(request.head.find("Transfer-Encoding"), std::string::npos);
}

TEST(DockerClientTransport, PullAlwaysSendsATagAndFailsOnAnErrorLineInA200Stream) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) {
        return testing::chunked_reply(
            200, {R"({"status":"Pulling from library/python","id":"3.7"})"
                  "\n",
                  R"({"status":"Verifying Checksum"})"
                  "\n{\"errorDetail\":{\"message\":\"layer ",
                  R"(verification failed"},"error":"layer verification failed"})"
                  "\n"});
    }));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    std::vector<std::string> statuses;
    auto pulled =
        client->pull_image("python", [&](std::string_view s) { statuses.emplace_back(s); });
    ASSERT_FALSE(pulled.ok());
    EXPECT_EQ(pulled.error().message, "layer verification failed");
    EXPECT_EQ(pulled.error().where, "docker POST /images/create");
    EXPECT_EQ(statuses.size(), 2u);
    EXPECT_EQ(daemon.requests().back().line(),
              "POST /v1.41/images/create?fromImage=python&tag=latest HTTP/1.1");
}

TEST(DockerClientTransport, StreamsBodiesLargerThanBeastsDefaultLimit) {
    const std::string piece(1024 * 1024, 'z');
    FakeDaemon daemon(with_ping([&](const FakeRequest&) {
        return testing::chunked_reply(200, std::vector<std::string>(20, piece),
                                      "Content-Type: application/x-tar\r\n");
    }));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    auto archive = client->get_archive("abc", "/out");
    ASSERT_TRUE(archive.ok()) << archive.error().to_string();
    ASSERT_NE(*archive, nullptr);
    std::size_t total = 0;
    char buffer[100'000];
    while (true) {
        auto count = (*archive)->read(buffer, sizeof buffer);
        ASSERT_TRUE(count.ok()) << count.error().to_string();
        if (*count == 0) {
            break;
        }
        total += *count;
    }
    EXPECT_EQ(total, 20u * piece.size());
    EXPECT_EQ(daemon.requests().back().line(),
              "GET /v1.41/containers/abc/archive?path=%2Fout HTTP/1.1");
}

TEST(DockerClientTransport, GivesUpOnASilentDaemonWithinTheCallTimeout) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) { return FakeReply{"", true}; }));
    auto client = DockerClient::connect(config_for(daemon, Millis(300)));
    ASSERT_TRUE(client.ok());
    const auto started = Clock::now();
    auto details = client->inspect_container("abc");
    const auto took = Clock::now() - started;
    ASSERT_FALSE(details.ok());
    EXPECT_EQ(details.error().where, "docker GET /containers/abc/json");
    EXPECT_NE(details.error().message.find("timed out after"), std::string::npos)
        << details.error().message;
    EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(DockerClientTransport, AStalledStreamFailsAfterTheIdleTimeout) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) {
        return FakeReply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
                         true};
    }));
    auto client = DockerClient::connect(config_for(daemon, Millis(300)));
    ASSERT_TRUE(client.ok());
    auto archive = client->get_archive("abc", "/out");
    ASSERT_TRUE(archive.ok());
    char buffer[64];
    auto first = (*archive)->read(buffer, sizeof buffer);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(std::string(buffer, *first), "hello");
    auto second = (*archive)->read(buffer, sizeof buffer);
    ASSERT_FALSE(second.ok());
    EXPECT_NE(second.error().message.find("no data for"), std::string::npos);
}

TEST(DockerClientTransport, ReadSomeLetsTheCallerPollWithoutLosingTheRead) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) {
        return FakeReply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true};
    }));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    auto wait = client->open_wait("abc", "next-exit");
    ASSERT_TRUE(wait.ok()) << wait.error().to_string();
    for (int i = 0; i < 3; ++i) {
        auto piece = (*wait)->read_some(Clock::now() + Millis(20));
        ASSERT_TRUE(piece.ok());
        EXPECT_TRUE(piece->pending);
    }
    EXPECT_EQ(daemon.requests().back().line(),
              "POST /v1.41/containers/abc/wait?condition=next-exit HTTP/1.1");
}

TEST(DockerClientTransport, NamesTheSocketWhenNothingListens) {
    DockerConfig config;
    config.host = "unix:///nonexistent/kfrun/docker.sock";
    auto client = DockerClient::connect(config);
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().where, "docker GET /_ping");
    EXPECT_NE(client.error().message.find("unix:///nonexistent/kfrun/docker.sock"),
              std::string::npos);
    EXPECT_NE(client.error().message.find("is dockerd running?"), std::string::npos);
}

TEST(DockerClientTransport, PutsArchivesChunkedAsTar) {
    FakeDaemon daemon(with_ping([](const FakeRequest&) { return testing::http_reply(200, ""); }));
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    struct Source : engine::ByteSource {
        int left = 3;
        base::Result<std::size_t> read(char* buffer, std::size_t capacity) override {
            if (left-- == 0) {
                return std::size_t{0};
            }
            buffer[0] = 't';
            return std::size_t{1};
        }
    } source;
    auto put = client->put_archive("abc", "/in", source);
    ASSERT_TRUE(put.ok()) << put.error().to_string();
    const auto request = daemon.requests().back();
    EXPECT_EQ(request.line(),
              "PUT /v1.41/containers/abc/archive?path=%2Fin&noOverwriteDirNonDir=1 HTTP/1.1");
    EXPECT_TRUE(request.has_header("Content-Type: application/x-tar"));
    EXPECT_EQ(request.body, "ttt");
}

}  // namespace
}  // namespace kfrun::docker
