// Registry credentials, the pure parts: which registry an image is from and its config key
// (docker/cli's normalisation), config.json's auths/credsStore/credHelpers (garbage and huge
// files included), a credential helper's answer, and the X-Registry-Auth value.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "docker/image_puller.hpp"
#include "docker/registry_auth.hpp"

namespace kfrun::docker {
namespace {

// The X-Registry-Auth value decoded back (base64url → JSON).
nlohmann::json decode_header(std::string value) {
    for (char& c : value) {
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    auto text = decode_base64(value);
    EXPECT_TRUE(text.has_value());
    return nlohmann::json::parse(text.value_or("{}"));
}

TEST(RegistryAuth, TheRegistryOfAnImageIsItsFirstComponentWhenThatIsAHost) {
    EXPECT_EQ(registry_of_image("busybox"), "docker.io");
    EXPECT_EQ(registry_of_image("library/busybox:1"), "docker.io");
    EXPECT_EQ(registry_of_image("acme/trainer@sha256:abc"), "docker.io");
    EXPECT_EQ(registry_of_image("gcr.io/acme/trainer:v1"), "gcr.io");
    EXPECT_EQ(registry_of_image("127.0.0.1:5000/kfrun-test/busybox:1"), "127.0.0.1:5000");
    EXPECT_EQ(registry_of_image("localhost/x"), "localhost");
    EXPECT_EQ(registry_of_image("myhost:5000/x"), "myhost:5000");
    // Hub's other spellings
    EXPECT_EQ(registry_of_image("index.docker.io/library/busybox"), "docker.io");
    EXPECT_EQ(registry_of_image("registry-1.docker.io/acme/x"), "docker.io");
    EXPECT_EQ(registry_of_image("docker.io/acme/x"), "docker.io");
}

// The daemon pulls `Evil.Example.com/x` from evil.example.com (DNS ignores case), so it is never
// Docker Hub, whose credentials would go with the pull; nor is `EVIL/x` (a host to newer
// daemons, an invalid Hub name to older ones) or `LOCALHOST:5000/x`.
TEST(RegistryAuth, AFirstComponentWithCapitalsIsAHostNeverDockerHub) {
    EXPECT_EQ(registry_of_image("Evil.Example.com/x"), "Evil.Example.com");
    EXPECT_EQ(registry_of_image("Acme.Corp/x:1"), "Acme.Corp");
    EXPECT_EQ(registry_of_image("LOCALHOST:5000/kfrun-test/x"), "LOCALHOST:5000");
    EXPECT_EQ(registry_of_image("EVIL/x"), "EVIL");
    EXPECT_EQ(registry_of_image("Docker.io/acme/x"), "Docker.io");
    EXPECT_NE(registry_key(registry_of_image("Index.Docker.io/acme/x")),
              "https://index.docker.io/v1/");
}

TEST(RegistryAuth, DockerHubHasTheIndexUrlAsItsKeyOthersTheirHost) {
    EXPECT_EQ(registry_key("docker.io"), "https://index.docker.io/v1/");
    EXPECT_EQ(registry_key("index.docker.io"), "https://index.docker.io/v1/");
    EXPECT_EQ(registry_key("registry-1.docker.io"), "https://index.docker.io/v1/");
    EXPECT_EQ(registry_key("127.0.0.1:5000"), "127.0.0.1:5000");
    EXPECT_EQ(registry_hostname("https://index.docker.io/v1/"), "index.docker.io");
    EXPECT_EQ(registry_hostname("http://127.0.0.1:5000/v2/"), "127.0.0.1:5000");
    EXPECT_EQ(registry_hostname("gcr.io/some/path"), "gcr.io");
    EXPECT_EQ(registry_hostname("https://user@harbor.acme:8443/x"), "harbor.acme:8443");
}

TEST(RegistryAuth, AuthsEntriesAreFoundByKeyThenByHostname) {
    // "alice:s3cr:et" — the password keeps its colons
    const std::string text = R"({
      "auths": {
        "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
        "http://127.0.0.1:5000/v2/": {"auth": "YWxpY2U6czNjcjpldA=="},
        "gcr.io": {"username": "_json_key", "password": "pw"},
        "harbor.acme": {"identitytoken": "tok"}
      }})";
    auto config = parse_docker_config(text, "config.json");
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    auto hub = find_auths_entry(*config, registry_key("docker.io"));
    ASSERT_TRUE(hub);
    EXPECT_EQ(hub->username, "hub");
    EXPECT_EQ(hub->password, "hubpw");
    auto local = find_auths_entry(*config, "127.0.0.1:5000");
    ASSERT_TRUE(local);
    EXPECT_EQ(local->username, "alice");
    EXPECT_EQ(local->password, "s3cr:et");
    EXPECT_EQ(find_auths_entry(*config, "gcr.io")->password, "pw");
    EXPECT_EQ(find_auths_entry(*config, "harbor.acme")->identity_token, "tok");
    EXPECT_FALSE(find_auths_entry(*config, "127.0.0.1:5001"));
    EXPECT_TRUE(config->warnings.empty());
}

TEST(RegistryAuth, HelpersComeFromCredHelpersThenCredsStore) {
    auto config = parse_docker_config(
        R"({"credsStore": "desktop", "credHelpers": {"gcr.io": "gcloud", "https://ecr.aws/": "ecr"}})",
        "c");
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(helper_for(*config, "gcr.io"), "gcloud");
    EXPECT_EQ(helper_for(*config, "ecr.aws"), "ecr");
    EXPECT_EQ(helper_for(*config, "127.0.0.1:5000"), "desktop");
    EXPECT_EQ(helper_for(*parse_docker_config("{}", "c"), "gcr.io"), "");
    EXPECT_TRUE(valid_helper_name("ecr-login"));
    EXPECT_FALSE(valid_helper_name("../../bin/sh"));
    EXPECT_FALSE(valid_helper_name(""));
    EXPECT_FALSE(valid_helper_name("a b"));
}

TEST(RegistryAuth, GarbageConfigFilesAreErrorsNamingTheFileNeverTheSecret) {
    for (const std::string text : {"", "not json", "[1,2]", "\"x\"", "{\"auths\": "}) {
        auto config = parse_docker_config(text, "/x/config.json");
        ASSERT_FALSE(config.ok()) << text;
        EXPECT_EQ(config.error().where, "/x/config.json");
    }
    EXPECT_FALSE(parse_docker_config(std::string(100000, '['), "c").ok());
    EXPECT_FALSE(parse_docker_config(std::string(5 * 1024 * 1024, ' '), "c").ok());
    // Mistyped fields are ignored; a bad `auth` is a warning naming the key only.
    auto config = parse_docker_config(
        R"({"auths": {"a.io": {"auth": "bm9jb2xvbg=="}, "b.io": {"auth": 7}, "c.io": "x",
             "d.io": {"auth": "!!!!"}}, "credHelpers": [1], "credsStore": 3})",
        "c");
    ASSERT_TRUE(config.ok());
    ASSERT_EQ(config->warnings.size(), 2u);
    EXPECT_NE(config->warnings[0].find("a.io"), std::string::npos);
    EXPECT_EQ(config->warnings[0].find("nocolon"), std::string::npos);
    EXPECT_TRUE(config->creds_store.empty());
    EXPECT_TRUE(config->cred_helpers.empty());
}

TEST(RegistryAuth, HelperRepliesFollowTheCredentialHelperProtocol) {
    auto basic = parse_helper_reply(
        R"({"ServerURL":"127.0.0.1:5000","Username":"alice","Secret":"pw"})", 0, "x");
    ASSERT_TRUE(basic.ok());
    ASSERT_TRUE(*basic);
    EXPECT_EQ((*basic)->username, "alice");
    EXPECT_EQ((*basic)->password, "pw");
    auto token = parse_helper_reply(R"({"Username":"<token>","Secret":"refresh"})", 0, "x");
    ASSERT_TRUE(token.ok() && *token);
    EXPECT_EQ((*token)->identity_token, "refresh");
    EXPECT_TRUE((*token)->username.empty());
    auto none = parse_helper_reply("credentials not found in native keychain\n", 1, "x");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(*none);
    auto failed =
        parse_helper_reply("error getting credentials - err: exit status 1\nmore", 1, "pass");
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().where, "docker-credential-pass get");
    EXPECT_EQ(failed.error().message,
              "exited with status 1: error getting credentials - err: exit status 1");
    auto garbage = parse_helper_reply("hunter2", 0, "x");
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().message.find("hunter2"), std::string::npos);
}

TEST(RegistryAuth, TheHeaderIsBase64UrlJsonOfTheCredentials) {
    RegistryCredentials basic{"alice", "p?>w~", "", ""};
    const std::string header = registry_auth_header(basic, "127.0.0.1:5000");
    EXPECT_EQ(header.find_first_of("+/"), std::string::npos);
    EXPECT_EQ(decode_header(header), nlohmann::json({{"username", "alice"},
                                                     {"password", "p?>w~"},
                                                     {"serveraddress", "127.0.0.1:5000"}}));
    RegistryCredentials token{"", "", "tok", ""};
    EXPECT_EQ(decode_header(registry_auth_header(token, "https://index.docker.io/v1/")),
              nlohmann::json(
                  {{"identitytoken", "tok"}, {"serveraddress", "https://index.docker.io/v1/"}}));
}

TEST(RegistryAuth, PullFailuresAboutCredentialsSayWhatToDo) {
    EXPECT_EQ(ImagePuller::explain_failure("manifest unknown", "r:1", false, "", "/c.json"),
              "manifest unknown");
    EXPECT_EQ(ImagePuller::explain_failure("manifest sha256:4010 unknown", "r:1", false, "", "c"),
              "manifest sha256:4010 unknown");
    EXPECT_EQ(ImagePuller::explain_failure(
                  "pull access denied for acme/x, repository does not exist or may require "
                  "'docker login': denied: requested access to the resource is denied",
                  "docker.io", false, "", "/c.json"),
              "pull access denied for acme/x, repository does not exist or may require 'docker "
              "login': denied: requested access to the resource is denied; if the image is "
              "private, run `docker login docker.io`");
    EXPECT_EQ(ImagePuller::explain_failure("Head \"http://r:1/v2/x/manifests/1\": no basic auth "
                                           "credentials",
                                           "r:1", false, "", "/c.json"),
              "Head \"http://r:1/v2/x/manifests/1\": no basic auth credentials; no credentials "
              "for the registry r:1 in /c.json: run `docker login r:1`");
    EXPECT_EQ(ImagePuller::explain_failure("unauthorized: authentication required", "r:1", true,
                                           "/c.json", "/c.json"),
              "unauthorized: authentication required; the registry r:1 refused the credentials "
              "from /c.json: run `docker login r:1` again");
}

}  // namespace
}  // namespace kfrun::docker
