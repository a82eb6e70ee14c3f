#pragma once
// Readers for JSON kfrun did not just build itself: a pipeline's text, a file a step wrote, a
// Docker daemon's response, a file in kfrun's data folder that may be damaged or edited. A
// missing member, a member of another type or a document that is no object gives the fallback;
// nothing here throws. nlohmann's own readers do: `value(key, default)` when the member has
// another type or the document is no object (type_error 302/306), `at(key)` when it is missing,
// `get<T>()` on another type, and `operator[]` on a const document without the key is undefined.
// Where a wrong type is the user's mistake, check the type and report it with its place; these
// are for fields that are optional or whose damage a clear default survives.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::base::json_fields {

// The member `key` of `object`; a null value when `object` is no object or has no such member.
const nlohmann::json& member(const nlohmann::json& object, std::string_view key);

// The member as an array or an object (for iterating); an empty one when it is something else.
const nlohmann::json& array_of(const nlohmann::json& object, std::string_view key);
const nlohmann::json& object_of(const nlohmann::json& object, std::string_view key);

// `value` itself when it is a string, else `fallback`.
std::string string_value(const nlohmann::json& value, std::string fallback = {});

// The member when it is a string, else `fallback`.
std::string string_of(const nlohmann::json& object, std::string_view key,
                      std::string fallback = {});

// The member when it is a number that is a whole number within the type's range (never a
// cast of an out-of-range double), else `fallback`.
std::int64_t int_of(const nlohmann::json& object, std::string_view key, std::int64_t fallback = 0);
std::uint64_t uint_of(const nlohmann::json& object, std::string_view key,
                      std::uint64_t fallback = 0);
// int_of within an int's range.
int small_int_of(const nlohmann::json& object, std::string_view key, int fallback = 0);

// The member when it is a number, else `fallback`.
double number_of(const nlohmann::json& object, std::string_view key, double fallback = 0);

// The member when it is true or false, else `fallback`.
bool bool_of(const nlohmann::json& object, std::string_view key, bool fallback = false);

// The string items of an array member (others are skipped).
std::vector<std::string> strings_of(const nlohmann::json& object, std::string_view key);

// The string members of an object member (others are skipped).
std::map<std::string, std::string> string_map_of(const nlohmann::json& object,
                                                 std::string_view key);

}  // namespace kfrun::base::json_fields
