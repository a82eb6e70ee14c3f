#pragma once
// JSON expectations: "the actual JSON contains this subset" and "the value at this path".
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace kfrun::harness {

// nullopt when `expected` is a subset of `actual`: objects need every expected key (extra keys
// are fine), arrays the same length with each element a subset, numbers equal as numbers,
// other scalars equal. Otherwise where and how they differ: "at $.a[1].b: expected 2, got 3".
std::optional<std::string> json_subset_mismatch(const nlohmann::json& expected,
                                                const nlohmann::json& actual,
                                                const std::string& path = "$");

// The value at a path such as "$.metrics[0].name", ".a.b", "a['x y'][2]"; nullopt when the
// path does not exist in `document`; an Input error when the path is malformed.
base::Result<std::optional<nlohmann::json>> json_query(const nlohmann::json& document,
                                                       const std::string& path);

// JSON equality with numbers compared as numbers (1 == 1.0).
bool json_equal(const nlohmann::json& expected, const nlohmann::json& actual);

}  // namespace kfrun::harness
