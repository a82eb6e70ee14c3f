#include "docker/api_version.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(ApiVersion, ParsesAndOrders) {
    EXPECT_EQ(ApiVersion::parse("1.41"), (ApiVersion{1, 41}));
    EXPECT_EQ(ApiVersion::parse(" 1.9 "), (ApiVersion{1, 9}));
    EXPECT_LT(*ApiVersion::parse("1.9"), *ApiVersion::parse("1.41"));
    EXPECT_FALSE(ApiVersion::parse("141"));
    EXPECT_FALSE(ApiVersion::parse("1.x"));
    EXPECT_FALSE(ApiVersion::parse(""));
    EXPECT_EQ((ApiVersion{1, 41}).to_string(), "1.41");
}

TEST(NegotiateApiVersion, UsesTheLowerOfOursAndTheDaemons) {
    EXPECT_EQ(negotiate_api_version("1.41", "d").value(), (ApiVersion{1, 41}));
    EXPECT_EQ(negotiate_api_version("1.44", "d").value(), (ApiVersion{1, 41}));
    EXPECT_EQ(negotiate_api_version("2.0", "d").value(), (ApiVersion{1, 41}));
}

TEST(NegotiateApiVersion, RefusesOlderDaemonsWithAClearMessage) {
    const auto result = negotiate_api_version("1.40", "unix:///var/run/docker.sock");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, base::ErrorKind::Docker);
    EXPECT_EQ(result.error().message,
              "Docker API 1.41 or newer required; the daemon at unix:///var/run/docker.sock "
              "speaks 1.40");
}

TEST(NegotiateApiVersion, TreatsAMissingHeaderAsAnOldDaemon) {
    const auto result = negotiate_api_version("", "d");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("speaks 1.24"), std::string::npos);
    EXPECT_FALSE(negotiate_api_version("garbage", "d").ok());
}

}  // namespace
}  // namespace kfrun::docker
