// CEL as the KFP v2 backend evaluates it (kfp-v2-semantics.md §2.3.5, §7.2; checklist rows 21,
// 52-55): the conditions the KFP compiler writes, cel-go's semantics for the rest of the subset,
// and the bounds that keep hostile text from crashing kfrun.
#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <string>

#include "engine/cel_expression.hpp"

using kfrun::engine::evaluate;
using kfrun::engine::evaluate_condition;
using kfrun::engine::parse_cel;
using nlohmann::json;

namespace {

// The executor input's `inputs` as the driver binds it for a condition: every parameter value
// a google.protobuf.Value (numbers are doubles) and the deprecated `parameters` map empty.
json condition_variables(json parameter_values) {
    return {{"inputs",
             {{"parameter_values", std::move(parameter_values)}, {"parameters", json::object()}}}};
}

// The value of `text` over `variables`, or the error message.
json value_of(const std::string& text, const json& variables = json::object()) {
    auto program = parse_cel(text);
    if (!program.ok()) {
        return "parse: " + program.error().message;
    }
    auto value = evaluate(*program, variables);
    if (!value.ok()) {
        return "error: " + value.error().message;
    }
    return *value;
}

// The error of `text` (parse or evaluation), or "" when it evaluated.
std::string error_of(const std::string& text, const json& variables = json::object()) {
    auto program = parse_cel(text);
    if (!program.ok()) {
        return program.error().message;
    }
    auto value = evaluate(*program, variables);
    return value.ok() ? std::string() : value.error().message;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

struct ConformanceCondition {
    const char* condition;
    const char* parameter_values;
    bool expected;
};

// Every distinct triggerPolicy.condition in the 146 compiled files of the conformance set
// (extracted once; CI has no copy of the set), with values such as their pipelines produce.
// The expected results were worked out independently (the condition rewritten as Python).
const ConformanceCondition k_conformance[] = {
    {R"(!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'))",
     R"({"pipelinechannel--flip-coin-Output": "other"})", true},
    {R"(!(inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'heads') && !(inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'tails'))",
     R"({"pipelinechannel--flip-three-sided-die-Output": "other"})", true},
    {R"(!(inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'heads') && inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'tails')",
     R"({"pipelinechannel--flip-three-sided-die-Output": "other"})", false},
    {R"(!(inputs.parameter_values['pipelinechannel--is-even-or-odd-2-Output'] == 'even'))",
     R"({"pipelinechannel--is-even-or-odd-2-Output": "even"})", false},
    {R"(!(inputs.parameter_values['pipelinechannel--is-even-or-odd-Output'] == 'even'))",
     R"({"pipelinechannel--is-even-or-odd-Output": "even"})", false},
    {R"(!(inputs.parameter_values['pipelinechannel--pick_a'] == true))",
     R"({"pipelinechannel--pick_a": false})", true},
    {R"(!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && !(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000))",
     R"({"pipelinechannel--int-0-to-9999-Output": 4999.0})", false},
    {R"(!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && !(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000))",
     R"({"pipelinechannel--int-0-to-9999-Output": 16.0})", false},
    {R"(!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000)",
     R"({"pipelinechannel--int-0-to-9999-Output": 4999.0})", false},
    {R"(!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000)",
     R"({"pipelinechannel--int-0-to-9999-Output": 16.0})", false},
    {R"(inputs.parameter_values['pipelinechannel--add_drumroll'] == true)",
     R"({"pipelinechannel--add_drumroll": true})", true},
    {R"(inputs.parameter_values['pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a'] == 'heads')",
     R"({"pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a'] == 'heads')",
     R"({"pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a": "heads"})", true},
    {R"(inputs.parameter_values['pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a'] == 'tails')",
     R"({"pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a'] == 'tails')",
     R"({"pipelinechannel--args-generator-op-Output-loop-item-subvar-A_a": "tails"})", true},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads')",
     R"({"pipelinechannel--flip-coin-Output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'tails')",
     R"({"pipelinechannel--flip-coin-Output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-op-Output'] != 'no-such-result')",
     R"({"pipelinechannel--flip-coin-op-Output": "other"})", true},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-op-Output'] == 'heads')",
     R"({"pipelinechannel--flip-coin-op-Output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-output'] == 'heads')",
     R"({"pipelinechannel--flip-coin-output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--flip-coin-output'] == 'tails')",
     R"({"pipelinechannel--flip-coin-output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'heads')",
     R"({"pipelinechannel--flip-three-sided-die-Output": "heads"})", true},
    {R"(inputs.parameter_values['pipelinechannel--is-even-or-odd-2-Output'] == 'even')",
     R"({"pipelinechannel--is-even-or-odd-2-Output": "even"})", true},
    {R"(inputs.parameter_values['pipelinechannel--is-even-or-odd-Output'] == 'even')",
     R"({"pipelinechannel--is-even-or-odd-Output": "even"})", true},
    {R"(inputs.parameter_values['pipelinechannel--loop-item-param-1'] == inputs.parameter_values['pipelinechannel--flip-coin-op-Output'])",
     R"({"pipelinechannel--loop-item-param-1": "x", "pipelinechannel--flip-coin-op-Output": "other"})",
     false},
    {R"(inputs.parameter_values['pipelinechannel--loop-item-param-11'] == '1')",
     R"({"pipelinechannel--loop-item-param-11": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--loop-item-param-11'] == '1')",
     R"({"pipelinechannel--loop-item-param-11": "1"})", true},
    {R"(inputs.parameter_values['pipelinechannel--loop_parameter-loop-item-subvar-A_a'] == 'heads')",
     R"({"pipelinechannel--loop_parameter-loop-item-subvar-A_a": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--pick_a'] == true)",
     R"({"pipelinechannel--pick_a": false})", false},
    {R"(inputs.parameter_values['pipelinechannel--print-op1-Output'] != 'Hello')",
     R"({"pipelinechannel--print-op1-Output": "other"})", true},
    {R"(inputs.parameter_values['pipelinechannel--print-op1-Output'] != 'Hello')",
     R"({"pipelinechannel--print-op1-Output": "Hello"})", false},
    {R"(inputs.parameter_values['pipelinechannel--print-op1-Output'] == 'Hello')",
     R"({"pipelinechannel--print-op1-Output": "other"})", false},
    {R"(inputs.parameter_values['pipelinechannel--print-op1-Output'] == 'Hello')",
     R"({"pipelinechannel--print-op1-Output": "Hello"})", true},
    {R"(inputs.parameter_values['pipelinechannel--repeat_if_lucky_number'] == true)",
     R"({"pipelinechannel--repeat_if_lucky_number": false})", false},
    {R"(inputs.parameter_values['pipelinechannel--repeat_if_lucky_number'] == true)",
     R"({"pipelinechannel--repeat_if_lucky_number": true})", true},
    {R"(inputs.parameter_values['pipelinechannel--train-scalar'] == '123')",
     R"({"pipelinechannel--train-scalar": "123"})", true},
    {R"(inputs.parameter_values['pipelinechannel--train-scalar'] == '123')",
     R"({"pipelinechannel--train-scalar": "other"})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-2-output']) <= 15)",
     R"({"pipelinechannel--generate-random-number-2-output": 16.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-2-output']) <= 15)",
     R"({"pipelinechannel--generate-random-number-2-output": 5000.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-2-output']) > 15)",
     R"({"pipelinechannel--generate-random-number-2-output": 16.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-2-output']) > 15)",
     R"({"pipelinechannel--generate-random-number-2-output": 5000.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-output']) <= 5)",
     R"({"pipelinechannel--generate-random-number-output": 2.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-output']) <= 5)",
     R"({"pipelinechannel--generate-random-number-output": 5000.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-output']) > 5)",
     R"({"pipelinechannel--generate-random-number-output": 2.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--generate-random-number-output']) > 5)",
     R"({"pipelinechannel--generate-random-number-output": 5000.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--get-random-int-op-Output']) <= 5)",
     R"({"pipelinechannel--get-random-int-op-Output": 16.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--get-random-int-op-Output']) <= 5)",
     R"({"pipelinechannel--get-random-int-op-Output": 7.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--get-random-int-op-Output']) > 5)",
     R"({"pipelinechannel--get-random-int-op-Output": 16.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--get-random-int-op-Output']) > 5)",
     R"({"pipelinechannel--get-random-int-op-Output": 7.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000)",
     R"({"pipelinechannel--int-0-to-9999-Output": 4999.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000)",
     R"({"pipelinechannel--int-0-to-9999-Output": 16.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--loop-item-param-1']) >= int(inputs.parameter_values['pipelinechannel--threshold']))",
     R"({"pipelinechannel--loop-item-param-1": 5000.0, "pipelinechannel--threshold": 5000.0})",
     true},
    {R"(int(inputs.parameter_values['pipelinechannel--loop-item-param-1']) >= int(inputs.parameter_values['pipelinechannel--threshold']))",
     R"({"pipelinechannel--loop-item-param-1": 7.0, "pipelinechannel--threshold": 7.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-2-Output']) <= 15)",
     R"({"pipelinechannel--random-num-2-Output": 2.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-2-Output']) > 15)",
     R"({"pipelinechannel--random-num-2-Output": 2.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-Output']) <= 5)",
     R"({"pipelinechannel--random-num-Output": 2.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-Output']) <= 5)",
     R"({"pipelinechannel--random-num-Output": 3.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-Output']) > 5)",
     R"({"pipelinechannel--random-num-Output": 2.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--random-num-Output']) > 5)",
     R"({"pipelinechannel--random-num-Output": 3.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--threshold']) == 2)",
     R"({"pipelinechannel--threshold": 5000.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--threshold']) == 2)",
     R"({"pipelinechannel--threshold": 7.0})", false},
    {R"(int(inputs.parameter_values['pipelinechannel--trials-loop-item']) == 3)",
     R"({"pipelinechannel--trials-loop-item": 3.0})", true},
    {R"(int(inputs.parameter_values['pipelinechannel--trials-loop-item']) == 3)",
     R"({"pipelinechannel--trials-loop-item": 4999.0})", false},
};

}  // namespace

TEST(CelConformance, EveryConditionTheCompilerWroteEvaluates) {
    std::set<std::string> distinct;
    for (const auto& row : k_conformance) {
        distinct.insert(row.condition);
        auto program = parse_cel(row.condition);
        ASSERT_TRUE(program.ok()) << program.error().message;
        auto values = condition_variables(json::parse(row.parameter_values));
        auto result = evaluate_condition(*program, values);
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(*result, row.expected) << row.condition << " over " << row.parameter_values;
    }
    EXPECT_EQ(distinct.size(), 42u);
}

TEST(CelCondition, IntOfADoubleParameterComparesAsAnInt) {  // row 52
    auto program = parse_cel("int(inputs.parameter_values['x']) > 5");
    ASSERT_TRUE(program.ok());
    auto seven = evaluate_condition(*program, condition_variables({{"x", 7.0}}));
    ASSERT_TRUE(seven.ok()) << seven.error().message;
    EXPECT_TRUE(*seven);
    EXPECT_FALSE(*evaluate_condition(*program, condition_variables({{"x", 5.9}})));
    EXPECT_EQ(value_of("int(7.9)"), 7);
    EXPECT_EQ(value_of("int(-7.9)"), -7);
    EXPECT_EQ(value_of("int('12')"), 12);
    EXPECT_EQ(value_of("int('-12')"), -12);
    EXPECT_TRUE(contains(error_of("int('12.0')"), "type conversion error from 'string' to 'int'"));
    EXPECT_TRUE(contains(error_of("int(1e19)"), "integer overflow"));
    EXPECT_TRUE(contains(error_of("int(-9223372036854775808.0)"), "integer overflow"));
    EXPECT_TRUE(value_of("int(7.0)").is_number_integer());
}

TEST(CelCondition, StringEqualityDecidesTheBranch) {  // row 53
    auto program = parse_cel("inputs.parameter_values['s'] == 'heads'");
    ASSERT_TRUE(program.ok());
    EXPECT_FALSE(*evaluate_condition(*program, condition_variables({{"s", "tails"}})));
    EXPECT_TRUE(*evaluate_condition(*program, condition_variables({{"s", "heads"}})));
    // A value of another kind is unequal, not an error (cel-go's heterogeneous equality).
    EXPECT_FALSE(*evaluate_condition(*program, condition_variables({{"s", 3.0}})));
}

TEST(CelCondition, AMissingKeyIsAnErrorThatNamesTheCondition) {  // row 54
    auto program = parse_cel("int(inputs.parameter_values['x']) > 5");
    ASSERT_TRUE(program.ok());
    auto result = evaluate_condition(*program, condition_variables({{"y", 1.0}}));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "condition \"int(inputs.parameter_values['x']) > 5\": no such key: x");
    EXPECT_EQ(result.error().kind, kfrun::base::ErrorKind::Step);
}

TEST(CelCondition, TheDeprecatedParametersMapIsEmptySoReadingItFails) {  // row 54
    auto program = parse_cel("inputs.parameters['x'] == 'a'");
    ASSERT_TRUE(program.ok());
    auto result = evaluate_condition(*program, condition_variables({{"x", "a"}}));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(contains(result.error().message, "no such key: x"));
}

TEST(CelCondition, NegationAndConjunction) {  // row 55
    auto program =
        parse_cel("!(inputs.parameter_values['a'] == 'x') && inputs.parameter_values['b'] > 1");
    ASSERT_TRUE(program.ok()) << program.error().message;
    auto run = [&](json a, json b) {
        auto result = evaluate_condition(*program, condition_variables({{"a", a}, {"b", b}}));
        EXPECT_TRUE(result.ok()) << result.error().message;
        return result.ok() && *result;
    };
    EXPECT_TRUE(run("y", 2.0));
    EXPECT_FALSE(run("x", 2.0));
    EXPECT_FALSE(run("y", 1.0));
    EXPECT_FALSE(run("x", 0.5));
    EXPECT_EQ(value_of("!(a == 'x') && b > 1", {{"a", "z"}, {"b", 3}}), true);
}

TEST(CelCondition, AResultThatIsNotABoolFailsTheCondition) {
    auto program = parse_cel("inputs.parameter_values['s']");
    ASSERT_TRUE(program.ok());
    auto result = evaluate_condition(*program, condition_variables({{"s", "heads"}}));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "condition \"inputs.parameter_values['s']\" evaluated to a string, not a bool");
    auto sum = parse_cel("1 + 2");
    ASSERT_TRUE(sum.ok());
    auto number = evaluate_condition(*sum, json::object());
    ASSERT_FALSE(number.ok());
    EXPECT_TRUE(contains(number.error().message, "evaluated to an int, not a bool"));
}

TEST(CelSelector, ParseJsonOfTheStringValueReturnsDoubles) {  // row 21
    auto program = parse_cel(R"(parseJson(string_value)["a"])");
    ASSERT_TRUE(program.ok()) << program.error().message;
    auto value = evaluate(*program, {{"string_value", R"({"b":2,"a":1})"}});
    ASSERT_TRUE(value.ok()) << value.error().message;
    EXPECT_TRUE(value->is_number_float());
    EXPECT_EQ(*value, 1.0);
    json nested = value_of("parseJson(s)", {{"s", R"([1, {"k": [2]}])"}});
    EXPECT_EQ(nested, json::parse(R"([1.0, {"k": [2.0]}])"));
    EXPECT_TRUE(nested[1]["k"][0].is_number_float());
    EXPECT_TRUE(
        contains(error_of(R"(parseJson(s)["c"])", {{"s", R"({"a":1})"}}), "no such key: c"));
    EXPECT_TRUE(contains(error_of("parseJson(s)", {{"s", "{not json"}}),
                         "parseJson: failed to unmarshal JSON"));
    EXPECT_TRUE(contains(error_of("parseJson(s)", {{"s", std::string(100000, '[')}}),
                         "parseJson: the text nests deeper"));
}

TEST(CelLogic, AndAndOrAbsorbErrorsInEitherOrder) {
    json empty = {{"m", json::object()}};
    EXPECT_EQ(value_of("false && m.missing", empty), false);
    EXPECT_EQ(value_of("m.missing && false", empty), false);
    EXPECT_EQ(value_of("true || m.missing", empty), true);
    EXPECT_EQ(value_of("m.missing || true", empty), true);
    EXPECT_TRUE(contains(error_of("m.missing && true", empty), "no such key: missing"));
    EXPECT_TRUE(contains(error_of("false || m.missing", empty), "no such key: missing"));
    EXPECT_EQ(value_of("x && false", {{"x", 1}}), false);  // a non-bool is absorbed like an error
    EXPECT_TRUE(contains(error_of("x && true", {{"x", 1}}), "no matching overload for '_&&_'"));
    EXPECT_EQ(value_of("!true"), false);
    EXPECT_EQ(value_of("!!true"), true);
    EXPECT_EQ(value_of("true ? 'a' : m.missing", empty), "a");
    EXPECT_EQ(value_of("1 > 2 ? 'a' : 'b'"), "b");
}

TEST(CelNumbers, IntUintAndDoubleAreDistinctButCompareAcrossKinds) {
    EXPECT_TRUE(value_of("7").is_number_integer());
    EXPECT_FALSE(value_of("7").is_number_unsigned());
    EXPECT_TRUE(value_of("7u").is_number_unsigned());
    EXPECT_TRUE(value_of("7.0").is_number_float());
    EXPECT_EQ(value_of("x == 7", {{"x", 7.0}}), true);
    EXPECT_EQ(value_of("x > 6", {{"x", 6.5}}), true);
    EXPECT_EQ(value_of("x < 7u", {{"x", -1}}), true);
    EXPECT_TRUE(contains(error_of("x + 1", {{"x", 1.0}}),
                         "no matching overload for '_+_' applied to '(double, int)'"));
    // Where both kinds are in the text, cel-go's checker rejects the mix before evaluation.
    EXPECT_TRUE(contains(error_of("1 == 1.0"), "type error at column 3"));
    EXPECT_TRUE(
        contains(error_of("int(x) < 5.5", {{"x", 1.0}}), "'_<_' applied to '(int, double)'"));
    EXPECT_TRUE(contains(error_of("'a' < 1"), "no matching overload"));
    EXPECT_TRUE(contains(error_of("int(true)"), "no matching overload for 'int'"));
    EXPECT_EQ(value_of("double(int(x)) > 5.5", {{"x", 6.0}}), true);
    EXPECT_EQ(value_of("double('2.5') * 2.0"), 5.0);
    EXPECT_EQ(value_of("uint(3) + 4u"), 7u);
    EXPECT_TRUE(contains(error_of("uint(-1)"), "unsigned integer overflow"));
}

TEST(CelNumbers, IntArithmeticOverflowAndDivisionByZeroAreErrors) {
    constexpr auto k_min = std::numeric_limits<std::int64_t>::min();
    constexpr auto k_max = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(value_of("2 + 3 * 4 - 10 / 3 % 2"), 13);
    EXPECT_EQ(value_of("-9223372036854775808"), k_min);
    EXPECT_TRUE(contains(error_of("9223372036854775807 + 1"), "integer overflow"));
    EXPECT_TRUE(contains(error_of("x * 2", {{"x", k_max}}), "integer overflow"));
    EXPECT_TRUE(contains(error_of("-x", {{"x", k_min}}), "integer overflow"));
    EXPECT_TRUE(contains(error_of("x / -1", {{"x", k_min}}), "integer overflow"));
    EXPECT_TRUE(contains(error_of("9223372036854775808"), "integer literal out of range"));
    EXPECT_TRUE(contains(error_of("1 / x", {{"x", 0}}), "division by zero"));
    EXPECT_TRUE(contains(error_of("1 % x", {{"x", 0}}), "modulus by zero"));
    EXPECT_TRUE(contains(error_of("0u - 1u"), "unsigned integer overflow"));
    EXPECT_EQ(value_of("1.0 / 0.0"), std::numeric_limits<double>::infinity());
}

TEST(CelStrings, LiteralsEscapesAndFunctions) {
    EXPECT_EQ(value_of(R"("it's" + ' ok')"), "it's ok");
    EXPECT_EQ(value_of(R"('a\tb\n\x41\u00e9\101\'')"),
              "a\tb\nA\xC3\xA9"
              "A'");
    EXPECT_EQ(value_of(R"(r'a\tb')"), "a\\tb");
    EXPECT_EQ(value_of("'''two\nlines'''"), "two\nlines");
    EXPECT_EQ(value_of("size('h\xC3\xA9llo')"), 5);
    EXPECT_EQ(value_of("'abc'.size()"), 3);
    EXPECT_EQ(value_of("'abc'.contains('b') && 'abc'.startsWith('ab') && 'abc'.endsWith('bc')"),
              true);
    EXPECT_EQ(value_of("'abc' < 'abd'"), true);
    EXPECT_EQ(value_of("string(7) + string(7.0) + string(2.5) + string(1234567.5) + string(true)"),
              "772.51.2345675e+06true");
    EXPECT_EQ(value_of("string(1e-05) + ' ' + string(100000.0) + ' ' + string(1e8)"),
              "1e-05 100000 1e+08");
    EXPECT_TRUE(
        contains(error_of("'abc"), "syntax error at column 1: unterminated string literal"));
    EXPECT_TRUE(contains(error_of(R"('\q')"), "invalid escape sequence"));
    EXPECT_TRUE(contains(error_of("b'abc'"), "bytes literals are not supported"));
}

TEST(CelAggregates, ListsMapsInAndIndexing) {
    EXPECT_EQ(value_of("[1, 2, 3][1]"), 2);
    EXPECT_EQ(value_of("2 in [1, 2, 3]"), true);
    EXPECT_EQ(value_of("2.0 in [1, 2, 3]"), true);
    EXPECT_EQ(value_of("'a' in {'a': 1}"), true);
    EXPECT_EQ(value_of("'b' in m", {{"m", {{"a", 1}}}}), false);
    EXPECT_EQ(value_of("{'a': [1, 2]}.a[1]"), 2);
    EXPECT_EQ(value_of("size([1, 2] + [3])"), 3);
    EXPECT_EQ(value_of("[1, 'a'] == [1, 'a']"), true);
    EXPECT_EQ(value_of("{'a': 1.0} == {'a': 1}"), true);
    EXPECT_EQ(value_of("has(m.a) && !has(m.b)", {{"m", {{"a", 1}}}}), true);
    EXPECT_EQ(value_of("m['k'].x", {{"m", {{"k", {{"x", "deep"}}}}}}), "deep");
    EXPECT_TRUE(contains(error_of("[1][3]"), "index 3 out of range in list of size 1"));
    EXPECT_TRUE(contains(error_of("{'a': 1, 'a': 2}"), "duplicate map key: a"));
    EXPECT_TRUE(
        contains(error_of("x.y", {{"x", 1.0}}), "type 'double' does not support field selection"));
    EXPECT_TRUE(contains(error_of("undeclared == 1"), "undeclared reference to 'undeclared'"));
    EXPECT_TRUE(contains(error_of("foo(1)"), "undeclared reference to 'foo'"));
}

TEST(CelSyntax, ErrorsCarryTheColumn) {
    auto program = parse_cel("a == ");
    ASSERT_FALSE(program.ok());
    EXPECT_EQ(program.error().message,
              "CEL expression \"a == \": syntax error at column 6: expected an operand, found the "
              "end");
    EXPECT_EQ(program.error().kind, kfrun::base::ErrorKind::Input);
    EXPECT_TRUE(contains(error_of("(a"), "syntax error at column 3: expected ')'"));
    EXPECT_TRUE(contains(error_of("a = b"), "syntax error at column 3: unexpected character '='"));
    EXPECT_TRUE(contains(error_of("a b"), "column 3: expected an operator or the end, found 'b'"));
    EXPECT_TRUE(contains(error_of("a\n  == )"), "line 2, column 6"));
    EXPECT_TRUE(contains(error_of("a.if"), "'if' is a reserved word"));
    EXPECT_EQ(value_of("1 + // a comment\n 2"), 3);
}

TEST(CelLimits, HostileTextIsRefusedWithAClearError) {
    std::string parens = std::string(200, '(') + "1" + std::string(200, ')');
    EXPECT_TRUE(contains(error_of(parens), "nests deeper than 128 levels"));
    std::string bangs = std::string(1000, '!') + "true";
    EXPECT_TRUE(contains(error_of(bangs), "nests deeper than 128 levels"));
    std::string lists = std::string(1000, '[') + std::string(1000, ']');
    EXPECT_TRUE(contains(error_of(lists), "nests deeper than 128 levels"));
    std::string sum = "1";
    for (int i = 0; i < 500; ++i) {
        sum += " + 1";
    }
    EXPECT_TRUE(contains(error_of(sum), "nests deeper than 128 levels"));
    // A long `&&` chain is balanced, as cel-go balances it, so it stays shallow and evaluates.
    std::string chain = "true";
    for (int i = 0; i < 5000; ++i) {
        chain += " && true";
    }
    EXPECT_EQ(value_of(chain), true);
    auto long_text = parse_cel(std::string(70000, ' ') + "1");
    ASSERT_FALSE(long_text.ok());
    EXPECT_TRUE(contains(long_text.error().message, "more than the 64 KiB allowed"));
    EXPECT_TRUE(contains(error_of("'\xff'"), "not valid UTF-8"));
}

TEST(CelLimits, AnExpressionThatWouldCopyTooMuchRunsOutOfBudget) {
    json big = std::string(1 << 20, 'x');  // 1 MiB
    std::string text = "x";
    for (int i = 0; i < 100; ++i) {
        text += " + x";
    }
    // 100 concatenations of a growing string would copy ~5 GiB: the budget stops it.
    auto program = parse_cel("size(" + text + ") > 0");
    ASSERT_TRUE(program.ok()) << program.error().message;
    auto result = evaluate(*program, {{"x", big}});
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(contains(result.error().message, "MiB of work or memory"));
}
