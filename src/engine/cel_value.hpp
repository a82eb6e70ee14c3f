#pragma once
// CEL values at evaluation time and the standard operations on them (cel-spec langdef.md,
// "Standard Definitions"; cel-go's common/types). A value is JSON whose kind is its CEL type
// (number_integer int, number_unsigned uint, number_float double, object map, array list).
// Internal to cel_eval.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.hpp"
#include "engine/cel_ast.hpp"

namespace kfrun::engine::cel {

using Json = nlohmann::json;

// A value that is either borrowed from the variables (which outlive the evaluation: looking up
// `inputs` copies nothing) or owned (a literal or a computed value).
class Value {
  public:
    static Value borrow(const Json& value) {
        Value v;
        v.m_ref = &value;
        return v;
    }
    static Value own(Json value) {
        Value v;
        v.m_own = std::move(value);
        return v;
    }
    const Json& get() const { return m_ref != nullptr ? *m_ref : m_own; }
    bool is_borrowed() const { return m_ref != nullptr; }
    // The JSON itself: moved out when owned, copied when borrowed (take_json charges for that).
    Json into() && { return is_borrowed() ? *m_ref : std::move(m_own); }
    // `element`, which lies inside get(): borrowed when this value is, else moved out of it.
    Value part(const Json& element) && {
        return is_borrowed() ? borrow(element) : own(std::move(const_cast<Json&>(element)));
    }

  private:
    const Json* m_ref = nullptr;
    Json m_own;
};

// The work and memory one evaluation may spend (copies, concatenations, comparisons of large
// values), so `x + x + ... + x` over a 16 MiB parameter ends in an error, not in swap.
class Budget {
  public:
    static constexpr std::uint64_t k_units = 64ull << 20;
    base::Result<void> charge(std::uint64_t units);
    std::uint64_t left() const { return m_left; }

  private:
    std::uint64_t m_left = k_units;
};

base::Error eval_error(std::string message);
// "int", "double", "string", "list", "map", "null_type", ...
std::string_view kind_name(const Json& value);
// "found no matching overload for 'f' applied to '(int, string)'".
base::Error no_overload(std::string_view function, const Json& a);
base::Error no_overload(std::string_view function, const Json& a, const Json& b);

// A copy of `value` (charged to the budget by its size) or the value itself when owned.
base::Result<Json> take_json(Value&& value, Budget& budget);

// `==`: heterogeneous as in cel-go (`7 == 7.0`; different kinds are unequal, not an error).
base::Result<bool> equal(const Json& a, const Json& b, Budget& budget);
// `<` and friends: <0, 0, >0; numbers compare across int/uint/double; strings, bools.
base::Result<int> compare(const Json& a, const Json& b, BinaryOp op);
// `+ - * / %` with int/uint overflow, division and modulus by zero as errors.
base::Result<Json> arithmetic(BinaryOp op, const Json& a, const Json& b, Budget& budget);

// The functions below live in cel_convert.cpp.
// int(), uint(), double(), string(), bool() as cel-go converts (`int(7.9)` is 7, `int("12")` 12).
base::Result<Json> convert(std::string_view function, const Json& value);
// size() of a string (code points), list or map.
base::Result<Json> size_of(const Json& value);
// KFP's parseJson: the JSON text as a value, every number a double (Go's json.Unmarshal).
base::Result<Json> parse_json(const Json& text, Budget& budget);

}  // namespace kfrun::engine::cel
