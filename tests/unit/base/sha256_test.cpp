#include <gtest/gtest.h>

#include "base/sha256.hpp"

using kfrun::base::Sha256;
using kfrun::base::sha256_hex;

TEST(Sha256, MatchesKnownAnswers) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IncrementalEqualsOneShot) {
    Sha256 hash;
    hash.update("a");
    hash.update("bc");
    EXPECT_EQ(hash.hex_digest(), sha256_hex("abc"));
}
