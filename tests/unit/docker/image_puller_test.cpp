// ImagePuller against the scripted fake daemon: the X-Registry-Auth header from the
// credential store, progress events, and one pull for callers that ask at the same time.
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "docker/image_puller.hpp"
#include "fake_daemon.hpp"

namespace kfrun::docker {
namespace {

using testing::FakeDaemon;
using testing::FakeReply;
using testing::FakeRequest;

const char* k_pull_body[] = {
    R"({"status":"Pulling from kfrun-test/x","id":"1"})"
    "\n",
    R"({"status":"Pulling fs layer","progressDetail":{},"id":"aaa"})"
    "\n",
    R"({"status":"Downloading","progressDetail":{"current":512,"total":1024},"id":"aaa"})"
    "\n",
    R"({"status":"Download complete","progressDetail":{},"id":"aaa"})"
    "\n",
    R"({"status":"Pull complete","progressDetail":{},"id":"aaa"})"
    "\n",
};

DockerConfig config_for(const FakeDaemon& daemon) {
    DockerConfig config;
    config.host = daemon.host();
    return config;
}

bool is_ping(const FakeRequest& request) {
    return request.line() == "GET /_ping HTTP/1.1";
}

FakeReply pull_reply() {
    return testing::chunked_reply(
        200, std::vector<std::string>(std::begin(k_pull_body), std::end(k_pull_body)));
}

class ImagePullerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/kfrun-puller-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        m_dir = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST_F(ImagePullerTest, SendsTheRegistrysCredentialsAndReportsProgress) {
    // base64("alice:pw")
    std::ofstream(m_dir / "config.json")
        << R"({"auths": {"r.example:5000": {"auth": "YWxpY2U6cHc="}}})";
    FakeDaemon daemon([](const FakeRequest& request) {
        return is_ping(request) ? testing::ping_reply() : pull_reply();
    });
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    ImagePuller puller(*client, std::make_shared<RegistryCredentialStore>(m_dir));
    std::vector<engine::PullProgress> events;
    auto outcome = puller.pull("r.example:5000/kfrun-test/x:1", "x-image",
                               [&](const engine::PullProgress& p) { events.push_back(p); });
    ASSERT_TRUE(outcome.result.ok()) << outcome.result.error().to_string();
    // base64url of {"password":"pw","serveraddress":"r.example:5000","username":"alice"}
    EXPECT_TRUE(
        daemon.requests().back().has_header("X-Registry-Auth: "
                                            "eyJwYXNzd29yZCI6InB3Iiwic2VydmVyYWRkcmVzcyI6InIuZXhhbX"
                                            "BsZTo1MDAwIiwidXNlcm5hbWUiOiJhbGljZSJ9"))
        << daemon.requests().back().head;
    ASSERT_GE(events.size(), 2u);
    EXPECT_FALSE(events.front().finished);
    EXPECT_EQ(events.front().image, "x-image");
    EXPECT_TRUE(events.back().finished);
    EXPECT_FALSE(events.back().failed);
    EXPECT_EQ(events.back().bytes_done, 1024u);
    EXPECT_EQ(events.back().layers_done, 1);
    // Another registry: no credentials, no header.
    ASSERT_TRUE(puller.pull("other.example/x:1", "x", {}).result.ok());
    EXPECT_EQ(daemon.requests().back().head.find("X-Registry-Auth"), std::string::npos);
}

TEST_F(ImagePullerTest, CallersAskingAtOnceShareOnePull) {
    std::mutex mutex;
    std::condition_variable changed;
    bool arrived = false;
    bool released = false;
    FakeDaemon daemon([&](const FakeRequest& request) {
        if (is_ping(request)) {
            return testing::ping_reply();
        }
        std::unique_lock lock(mutex);
        arrived = true;
        changed.notify_all();
        changed.wait(lock, [&] { return released; });
        return pull_reply();
    });
    auto client = DockerClient::connect(config_for(daemon));
    ASSERT_TRUE(client.ok());
    ImagePuller puller(*client, nullptr);
    ImagePuller::Outcome first{base::ok(), {}};
    ImagePuller::Outcome second{base::ok(), {}};
    std::thread a([&] { first = puller.pull("r.example/x:1", "x", {}); });
    {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return arrived; });
    }
    std::thread b([&] { second = puller.pull("r.example/x:1", "x", {}); });
    // Release the daemon once b waits for a's pull (or, were it to pull itself, after a bound).
    for (int i = 0; i < 2000 && puller.pulls_joined() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    {
        std::lock_guard lock(mutex);
        released = true;
        changed.notify_all();
    }
    a.join();
    b.join();
    EXPECT_TRUE(first.result.ok());
    EXPECT_TRUE(second.result.ok());
    EXPECT_EQ(puller.pulls_started(), 1);
    EXPECT_EQ(puller.pulls_joined(), 1);
    int creates = 0;
    for (const FakeRequest& request : daemon.requests()) {
        creates += request.line().find("/images/create") != std::string::npos ? 1 : 0;
    }
    EXPECT_EQ(creates, 1);
}

}  // namespace
}  // namespace kfrun::docker
