#include "docker/query.hpp"

#include <gtest/gtest.h>

namespace kfrun::docker {
namespace {

TEST(UrlEncode, KeepsUnreservedCharactersAndEncodesTheRest) {
    EXPECT_EQ(url_encode("AZaz09-_.~"), "AZaz09-_.~");
    EXPECT_EQ(url_encode("a b/c:d@e"), "a%20b%2Fc%3Ad%40e");
    EXPECT_EQ(url_encode("{\"label\":[\"k=v\"]}"), "%7B%22label%22%3A%5B%22k%3Dv%22%5D%7D");
    EXPECT_EQ(url_encode("\xc3\xa9"), "%C3%A9");
}

TEST(EncodePath, KeepsImageReferenceSeparators) {
    EXPECT_EQ(encode_path("kfrun-fixtures/busybox:1"), "kfrun-fixtures/busybox:1");
    EXPECT_EQ(encode_path("repo@sha256:abc"), "repo@sha256:abc");
    EXPECT_EQ(encode_path("a b?c#d"), "a%20b%3Fc%23d");
}

TEST(Query, BuildsParametersInInsertionOrder) {
    Query query;
    EXPECT_EQ(query.str(), "");
    query.add("fromImage", "python").add("tag", "3.7").add("follow", true).add("t", 10LL);
    EXPECT_EQ(query.str(), "?fromImage=python&tag=3.7&follow=1&t=10");
    Query changes;
    changes.add("changes", R"(ENTRYPOINT ["/pause"])");
    EXPECT_EQ(changes.str(), "?changes=ENTRYPOINT%20%5B%22%2Fpause%22%5D");
}

TEST(LabelFilterJson, ListsKeyValuePairsAndBareKeys) {
    EXPECT_EQ(label_filter_json({{"org.kfrun.run", "r1"}, {"present", ""}}),
              R"({"label":["org.kfrun.run=r1","present"]})");
    EXPECT_EQ(label_filter_json({}), R"({"label":[]})");
}

}  // namespace
}  // namespace kfrun::docker
