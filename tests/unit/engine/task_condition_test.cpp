// A task's CEL condition over its own typed inputs, as KFP v2's driver decides it (issue 17,
// checklist rows 52–55).
#include "engine/task_condition.hpp"

#include <gtest/gtest.h>

namespace kfrun::engine {
namespace {

model::TaskCall call_with(const std::string& condition,
                          std::vector<std::pair<std::string, std::string>> values) {
    model::TaskCall call;
    call.name = "condition-1";
    call.template_name = "comp-condition-1";
    call.condition = condition;
    for (auto& [name, value] : values) {
        model::Parameter argument;
        argument.name = name;
        argument.value = value;
        call.arguments.parameters.push_back(argument);
    }
    return call;
}

model::Template group_with(std::vector<std::pair<std::string, std::string>> types) {
    model::Template group;
    group.name = "comp-condition-1";
    group.kind = model::Template::Kind::Dag;
    for (auto& [name, type] : types) {
        model::Parameter input;
        input.name = name;
        input.type = type;
        group.inputs.parameters.push_back(input);
    }
    return group;
}

const std::string k_num = "pipelinechannel--random-num-Output";

TEST(TaskCondition, IntOfADoubleComparesAsTheBackendDoes) {  // row 52
    model::Template group = group_with({{k_num, "NUMBER_INTEGER"}});
    auto call = call_with("int(inputs.parameter_values['" + k_num + "']) > 5", {{k_num, "7"}});
    auto holds = task_condition_holds(call, &group, false);
    ASSERT_TRUE(holds.ok()) << holds.error().message;
    EXPECT_TRUE(*holds);
    call.arguments.parameters[0].value = "5";
    EXPECT_FALSE(*task_condition_holds(call, &group, false));
}

TEST(TaskCondition, StringEqualityFalseSkips) {  // row 53
    model::Template group = group_with({{"pipelinechannel--flip-coin-Output", "STRING"}});
    auto call = call_with("inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'",
                          {{"pipelinechannel--flip-coin-Output", "tails"}});
    auto holds = task_condition_holds(call, &group, false);
    ASSERT_TRUE(holds.ok()) << holds.error().message;
    EXPECT_FALSE(*holds);
}

TEST(TaskCondition, MissingKeyOrDeprecatedMapFailsTheTask) {  // row 54
    model::Template group = group_with({{"x", "STRING"}});
    auto missing = task_condition_holds(
        call_with("inputs.parameter_values['y'] == 'a'", {{"x", "a"}}), &group, false);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.error().message.find("condition"), std::string::npos);
    auto deprecated = task_condition_holds(
        call_with("inputs.parameters['x'] == 'a'", {{"x", "a"}}), &group, false);
    EXPECT_FALSE(deprecated.ok());
    EXPECT_FALSE(task_condition_holds(call_with("inputs.parameter_values['x'] ==", {{"x", "a"}}),
                                      &group, false)
                     .ok());
}

TEST(TaskCondition, NegationAndConjunction) {  // row 55
    model::Template group = group_with({{"a", "STRING"}, {"b", "NUMBER_DOUBLE"}});
    std::string condition =
        "!(inputs.parameter_values['a'] == 'x') && inputs.parameter_values['b'] > 1.0";
    EXPECT_TRUE(*task_condition_holds(call_with(condition, {{"a", "y"}, {"b", "2"}}), &group,
                                      false));
    EXPECT_FALSE(*task_condition_holds(call_with(condition, {{"a", "x"}, {"b", "2"}}), &group,
                                       false));
    EXPECT_FALSE(*task_condition_holds(call_with(condition, {{"a", "y"}, {"b", "0.5"}}), &group,
                                       false));
}

TEST(TaskCondition, BooleanInputIsABool) {
    model::Template group = group_with({{"f", "BOOLEAN"}});
    EXPECT_TRUE(*task_condition_holds(
        call_with("inputs.parameter_values['f'] == true", {{"f", "true"}}), &group, false));
}

TEST(TaskCondition, AValueOfTheWrongTypeFailsTheTask) {
    model::Template group = group_with({{"n", "NUMBER_INTEGER"}});
    EXPECT_FALSE(task_condition_holds(
                     call_with("int(inputs.parameter_values['n']) > 1", {{"n", "many"}}), &group,
                     false)
                     .ok());
}

TEST(TaskCondition, DryRunTreatsUnknownValuesAsTrue) {
    model::Template group = group_with({{"n", "NUMBER_INTEGER"}});
    auto call = call_with("int(inputs.parameter_values['n']) > 1",
                          {{"n", "{{tasks.a.outputs.parameters.x}}"}});
    EXPECT_TRUE(*task_condition_holds(call, &group, true));
    EXPECT_FALSE(task_condition_holds(call, &group, false).ok());
}

TEST(TaskCondition, NoConditionHolds) {
    EXPECT_TRUE(*task_condition_holds(call_with("", {}), nullptr, false));
}

}  // namespace
}  // namespace kfrun::engine
