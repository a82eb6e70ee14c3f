// Which pipeline strings may name a run (Kubernetes' rules) or one file of a folder kfrun owns.
#include <gtest/gtest.h>

#include <string>

#include "base/names.hpp"

using namespace kfrun::base;

TEST(Names, Dns1123SubdomainsAsTheApiServerChecksThem) {
    for (const char* good : {"a", "my-pipeline-x2k9d", "a.b", "0abc", "a-b.c-d.e"}) {
        EXPECT_TRUE(is_dns1123_subdomain(good)) << good;
    }
    for (const char* bad : {"", "../x", "a/b", "My-Pipeline", "a_b", "-a", "a-", ".a", "a.", "a..b",
                            "a b", "a\nb", "a.-b"}) {
        EXPECT_FALSE(is_dns1123_subdomain(bad)) << bad;
    }
    EXPECT_TRUE(is_dns1123_subdomain(std::string(253, 'a')));
    EXPECT_FALSE(is_dns1123_subdomain(std::string(254, 'a')));
    EXPECT_FALSE(is_dns1123_subdomain(std::string("a\0b", 3)));
}

TEST(Names, AGenerateNameMayEndInADash) {
    EXPECT_TRUE(is_generate_name_prefix("my-pipeline-"));
    EXPECT_TRUE(is_generate_name_prefix("p"));
    EXPECT_FALSE(is_generate_name_prefix("-"));
    EXPECT_FALSE(is_generate_name_prefix("../../tmp/x-"));
    EXPECT_FALSE(is_generate_name_prefix("Bad Name-"));
    EXPECT_FALSE(is_generate_name_prefix("-a-"));
}

TEST(Names, APlainFileNameStaysInItsFolder) {
    for (const char* good : {"wf-123", "My_Step.v2", "a..b"}) {
        EXPECT_TRUE(is_plain_file_name(good)) << good;
        EXPECT_EQ(plain_file_name(good), good);
    }
    for (const char* bad :
         {"", ".", "..", "../x", "a/b", "/etc/passwd", ".hidden", "a b", "a\\b"}) {
        EXPECT_FALSE(is_plain_file_name(bad)) << bad;
        std::string mapped = plain_file_name(bad);
        EXPECT_TRUE(is_plain_file_name(mapped)) << mapped;
        EXPECT_EQ(mapped.rfind("sha256-", 0), 0u) << mapped;
        EXPECT_EQ(mapped, plain_file_name(bad)) << "the same name each time";
    }
    EXPECT_NE(plain_file_name("../a"), plain_file_name("../b"));
    EXPECT_FALSE(is_plain_file_name(std::string(201, 'a')));
}
