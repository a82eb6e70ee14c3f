#include "docker/image_reference.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(ImageReference, AddsLatestOnlyWithoutTagOrDigest) {
    EXPECT_EQ(with_default_tag("python"), "python:latest");
    EXPECT_EQ(with_default_tag("python:3.7"), "python:3.7");
    EXPECT_EQ(with_default_tag("localhost:5000/team/app"), "localhost:5000/team/app:latest");
    EXPECT_EQ(with_default_tag("localhost:5000/team/app:v2"), "localhost:5000/team/app:v2");
    EXPECT_EQ(with_default_tag("repo@sha256:abc"), "repo@sha256:abc");
    EXPECT_EQ(with_default_tag("repo:1@sha256:abc"), "repo:1@sha256:abc");
}

TEST(ImageReference, SplitsForPullWithANonEmptyTag) {
    const auto plain = ImageReference::parse("gcr.io/ml/trainer");
    EXPECT_EQ(plain.repository, "gcr.io/ml/trainer");
    EXPECT_EQ(plain.pull_tag(), "latest");
    const auto tagged = ImageReference::parse("localhost:5000/app:1.2");
    EXPECT_EQ(tagged.repository, "localhost:5000/app");
    EXPECT_EQ(tagged.pull_tag(), "1.2");
    const auto pinned = ImageReference::parse("app:1.2@sha256:0123");
    EXPECT_EQ(pinned.repository, "app");
    EXPECT_EQ(pinned.tag, "1.2");
    EXPECT_EQ(pinned.pull_tag(), "sha256:0123");
}

}  // namespace
}  // namespace kfrun::docker
