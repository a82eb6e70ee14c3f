#include "docker/docker_error.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(DockerCallName, NamesMethodAndPathWithoutVersionOrQuery) {
    EXPECT_EQ(docker_call_name("POST", "/v1.41/containers/create?name=x"),
              "docker POST /containers/create");
    EXPECT_EQ(docker_call_name("GET", "/_ping"), "docker GET /_ping");
    EXPECT_EQ(docker_call_name("GET", "/images/kfrun-fixtures/busybox:1/json"),
              "docker GET /images/kfrun-fixtures/busybox:1/json");
}

TEST(DockerCallName, ShortensContainerIds) {
    const std::string id(64, 'a');
    EXPECT_EQ(docker_call_name("POST", "/v1.41/containers/" + id + "/start"),
              "docker POST /containers/aaaaaaaaaaaa/start");
}

TEST(DockerErrorMessage, ReadsDockersMessageField) {
    EXPECT_EQ(docker_error_message(R"({"message":"No such image: x:1"})"), "No such image: x:1");
    EXPECT_EQ(docker_error_message("  page not found\n"), "page not found");
    EXPECT_EQ(docker_error_message(R"({"cause":"c","message":"podman says","response":404})"),
              "podman says");
    EXPECT_EQ(docker_error_message(R"({"other":1})"), R"({"other":1})");
}

TEST(MakeDockerError, NamesTheCallTheStatusAndTheMessage) {
    const auto error = make_docker_error("docker POST /containers/create", 404,
                                         R"({"message":"No such image: kfr:1"})");
    EXPECT_EQ(error.kind, base::ErrorKind::Docker);
    EXPECT_EQ(error.where, "docker POST /containers/create: HTTP 404");
    EXPECT_EQ(error.message, "No such image: kfr:1");
    EXPECT_EQ(error.to_string(), "docker POST /containers/create: HTTP 404: No such image: kfr:1");
    EXPECT_EQ(http_status(error), 404u);
}

TEST(MakeDockerError, SaysSoWhenTheBodyIsEmpty) {
    const auto error = make_docker_error("docker GET /x", 500, "");
    EXPECT_EQ(error.message, "the daemon answered HTTP 500 with no message");
}

TEST(HttpStatus, IsAbsentForTransportAndOtherErrors) {
    EXPECT_FALSE(http_status(make_transport_error("docker GET /_ping", "timed out after 5.0s")));
    EXPECT_FALSE(http_status(base::make_error(base::ErrorKind::Io, "x", "y: HTTP 404")));
}

}  // namespace
}  // namespace kfrun::docker
