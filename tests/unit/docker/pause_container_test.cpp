#include "docker/pause_container.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace kfrun::docker {
namespace {

using nlohmann::json;

TEST(PauseCreateBody, RunsPauseWithItsLabelsNetworkAndVolumes) {
    PauseContainerSpec spec;
    spec.image_id = "sha256:pause";
    spec.labels = {{"org.kfrun.role", "copy"}};
    spec.mounts = {{"src", "/from", true}, {"dst", "/to", false}};
    const auto body = json::parse(pause_create_body(spec));
    EXPECT_EQ(body["Image"], "sha256:pause");
    EXPECT_EQ(body["Entrypoint"], json({"/pause"}));
    EXPECT_EQ(body["Cmd"], json::array());
    EXPECT_EQ(body["Labels"], json({{"org.kfrun.role", "copy"}}));
    EXPECT_EQ(body["HostConfig"]["NetworkMode"], "none");
    EXPECT_EQ(body["HostConfig"]["Mounts"], json::parse(R"([
        {"Type":"volume","Source":"src","Target":"/from","ReadOnly":true},
        {"Type":"volume","Source":"dst","Target":"/to","ReadOnly":false}])"));
    EXPECT_FALSE(body["HostConfig"].contains("DeviceRequests"));
}

TEST(PauseCreateBody, AsksForAllGpusForTheProbe) {
    PauseContainerSpec spec;
    spec.image_id = "sha256:pause";
    spec.gpus = true;
    const auto body = json::parse(pause_create_body(spec));
    EXPECT_EQ(body["HostConfig"]["DeviceRequests"],
              json::parse(R"([{"Driver":"","Count":-1,"Capabilities":[["gpu"]]}])"));
}

}  // namespace
}  // namespace kfrun::docker
