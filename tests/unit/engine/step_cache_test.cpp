// The cache entry's JSON form: kfrun's own file, but a damaged or edited entry is a miss, never
// an exception (value() threw type_error.302 outside decode's try on `"format": 1`).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "engine/step_cache.hpp"

using kfrun::engine::CacheEntry;
using kfrun::engine::decode_cache_entry;
using kfrun::engine::encode_cache_entry;

namespace {

nlohmann::json valid_entry() {
    CacheEntry entry;
    entry.key = "abc";
    entry.step = "p/step";
    entry.created_at = kfrun::base::SystemTime(kfrun::engine::Millis(1700000000000));
    entry.run_time = kfrun::engine::Millis(1500);
    entry.outputs.parameters.emplace_back("out", "1");
    kfrun::engine::NamedArtifact artifact;
    artifact.name = "data";
    artifact.artifact.digest = "ff";
    artifact.artifact.size = 3;
    entry.outputs.artifacts.push_back(artifact);
    entry.outputs.result = "hi";
    entry.outputs.exit_code = 0;
    return nlohmann::json::parse(encode_cache_entry(entry));
}

std::optional<CacheEntry> decode(const nlohmann::json& doc) {
    return decode_cache_entry(kfrun::base::json_text(doc));
}

}  // namespace

TEST(CacheEntryJson, AnEncodedEntryDecodes) {
    auto decoded = decode(valid_entry());
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->key, "abc");
    EXPECT_EQ(decoded->run_time.count(), 1500);
    ASSERT_EQ(decoded->outputs.artifacts.size(), 1u);
    EXPECT_EQ(decoded->outputs.artifacts[0].artifact.size, 3u);
    EXPECT_EQ(decoded->outputs.result, "hi");
    EXPECT_EQ(decoded->outputs.exit_code, 0);
}

TEST(CacheEntryJson, ADamagedEntryIsAMissNotAnException) {
    const std::vector<std::pair<std::string, nlohmann::json>> damage = {
        {"/format", 1},     // threw outside the try: exit 70
        {"/version", "1"},  // the same
        {"/key", nullptr},
        {"/createdAtMs", 1e300},                // an undefined cast, then a nanosecond overflow
        {"/createdAtMs", 9223372036854775807},  // the nanosecond overflow
        {"/parameters", "x"},
        {"/parameters/0/value", 2},
        {"/artifacts", {{"a", 1}}},
        {"/artifacts/0/digest", nlohmann::json::array()},
        {"/result", 5},
        {"/exitCode", 1e12},
        {"/maxStalenessMs", "1h"},
    };
    for (const auto& [pointer, value] : damage) {
        nlohmann::json doc = valid_entry();
        doc[nlohmann::json::json_pointer(pointer)] = value;
        std::optional<CacheEntry> decoded;
        ASSERT_NO_THROW(decoded = decode(doc)) << pointer;
        EXPECT_FALSE(decoded.has_value()) << pointer;
    }
    for (const nlohmann::json& doc :
         {nlohmann::json::array(), nlohmann::json("text"), nlohmann::json(nullptr)}) {
        EXPECT_FALSE(decode(doc).has_value());
    }
}

TEST(CacheEntryJson, OptionalFieldsOfAnotherTypeReadAsTheirDefault) {
    nlohmann::json doc = valid_entry();
    doc["keyText"] = {{"a", 1}};
    doc["runTimeMs"] = "slow";
    doc["artifacts"][0]["size"] = -3;
    doc["artifacts"][0]["kind"] = 7;
    doc["artifactBytes"] = 2.5;
    auto decoded = decode(doc);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->key_text, "");
    EXPECT_EQ(decoded->run_time.count(), 0);
    EXPECT_EQ(decoded->outputs.artifacts[0].artifact.size, 0u);
    EXPECT_FALSE(decoded->outputs.artifacts[0].artifact.is_directory());
    EXPECT_EQ(decoded->artifact_bytes, 0u);
}
