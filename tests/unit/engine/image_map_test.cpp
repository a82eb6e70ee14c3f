// ImageMap: --image-map rules (exact beats glob, normalized references) and reference
// normalization.
#include <gtest/gtest.h>

#include "engine/image_map.hpp"

using kfrun::engine::ImageMap;
using kfrun::engine::normalize_image_reference;

TEST(ImageReference, NormalizesAsDockerDoes) {
    EXPECT_EQ(normalize_image_reference("python:3.7"), "docker.io/library/python:3.7");
    EXPECT_EQ(normalize_image_reference("python"), "docker.io/library/python:latest");
    EXPECT_EQ(normalize_image_reference("user/img"), "docker.io/user/img:latest");
    EXPECT_EQ(normalize_image_reference("gcr.io/x/y"), "gcr.io/x/y:latest");
    EXPECT_EQ(normalize_image_reference("localhost:5000/img"), "localhost:5000/img:latest");
    EXPECT_EQ(normalize_image_reference("localhost/img:1"), "localhost/img:1");
    EXPECT_EQ(normalize_image_reference("index.docker.io/library/alpine:3"),
              "docker.io/library/alpine:3");
    EXPECT_EQ(normalize_image_reference("alpine@sha256:abc"),
              "docker.io/library/alpine@sha256:abc");
}

TEST(ImageMap, AnExactRuleBeatsAnEarlierGlob) {
    ImageMap map;
    map.add({"python:*", "glob"});
    map.add({"python:3.7", "exact"});
    EXPECT_EQ(map.map("python:3.7"), "exact");
    EXPECT_EQ(map.map("python:3.9"), "glob");
    EXPECT_EQ(map.map("alpine"), std::nullopt);
    EXPECT_EQ(map.map_or_same("alpine"), "alpine");
}

TEST(ImageMap, AmongGlobsTheFirstAddedWins) {
    ImageMap map;
    map.add({"gcr.io/*", "first"});
    map.add({"gcr.io/ml-pipeline/*", "second"});
    EXPECT_EQ(map.map("gcr.io/ml-pipeline/x:1"), "first");
}

TEST(ImageMap, MatchesNormalizedReferencesBothWays) {
    ImageMap short_rule;
    short_rule.add({"python:3.7", "mapped"});
    EXPECT_EQ(short_rule.map("docker.io/library/python:3.7"), "mapped");

    ImageMap long_rule;
    long_rule.add({"docker.io/library/python:3.7", "mapped"});
    EXPECT_EQ(long_rule.map("python:3.7"), "mapped");

    ImageMap glob_on_normalized;
    glob_on_normalized.add({"docker.io/library/*", "official"});
    EXPECT_EQ(glob_on_normalized.map("busybox"), "official");
}

TEST(ImageMap, ParsesPatternEqualsImage) {
    auto rule = ImageMap::parse_rule("python:*=kfrun-fixtures/python:3");
    ASSERT_TRUE(rule.ok());
    EXPECT_EQ(rule->pattern, "python:*");
    EXPECT_EQ(rule->image, "kfrun-fixtures/python:3");
    EXPECT_FALSE(ImageMap::parse_rule("no-equals").ok());
    EXPECT_FALSE(ImageMap::parse_rule("=image").ok());
    EXPECT_FALSE(ImageMap::parse_rule("pattern=").ok());
}
