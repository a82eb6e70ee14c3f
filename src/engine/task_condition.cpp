#include "engine/task_condition.hpp"

#include <nlohmann/json.hpp>

#include "engine/cel_expression.hpp"
#include "engine/placeholder.hpp"
#include "model/typed_value.hpp"

namespace kfrun::engine {

namespace {

base::Error condition_error(const std::string& condition, const std::string& message) {
    return base::make_error(base::ErrorKind::Step,
                            "condition \"" + condition + "\" failed: " + message);
}

}  // namespace

base::Result<bool> task_condition_holds(const model::TaskCall& resolved,
                                        const model::Template* called, bool dry_run) {
    const std::string& condition = resolved.condition;
    if (condition.empty()) {
        return true;
    }
    nlohmann::json values = nlohmann::json::object();
    for (const model::Parameter& argument : resolved.arguments.parameters) {
        if (!argument.value) {
            continue;
        }
        if (has_tags(*argument.value)) {
            if (dry_run) {
                return true;
            }
            return condition_error(condition, "input `" + argument.name +
                                                  "` is not resolved: " + *argument.value);
        }
        std::string type;
        if (called != nullptr) {
            if (const auto* declared = model::find_by_name(called->inputs.parameters,
                                                           argument.name)) {
                type = declared->type;
            }
        }
        auto value = model::typed_value(*argument.value, type);
        if (!value.ok()) {
            return condition_error(condition, "input `" + argument.name + "`: " +
                                                  value.error().message);
        }
        values[argument.name] = std::move(value.value());
    }
    nlohmann::json variables = {
        {"inputs",
         {{"parameter_values", std::move(values)},
          {"parameters", nlohmann::json::object()},
          {"artifacts", nlohmann::json::object()}}}};
    auto program = parse_cel(condition);
    if (!program.ok()) {
        return condition_error(condition, program.error().message);
    }
    auto holds = evaluate_condition(*program, variables);
    if (!holds.ok()) {
        return condition_error(condition, holds.error().message);
    }
    return *holds;
}

}  // namespace kfrun::engine
