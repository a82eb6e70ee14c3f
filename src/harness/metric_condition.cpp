#include "harness/metric_condition.hpp"

#include <cmath>
#include <cstdlib>
#include <regex>

namespace kfrun::harness {

base::Result<MetricCheck> parse_metric_condition(const std::string& text) {
    static const std::regex k_condition(R"(^\s*([^<>=!\s][^<>=!]*?)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$)");
    std::smatch match;
    if (!std::regex_match(text, match, k_condition)) {
        return base::make_error(base::ErrorKind::Input,
                                "a metric condition is NAME OP NUMBER, OP one of >=, >, <=, <, "
                                "==, != (e.g. \"accuracy >= 0.9\"), got \"" + text + "\"");
    }
    MetricCheck check;
    check.name = match[1].str();
    check.op = match[2].str();
    check.text = text;
    const std::string number = match[3].str();
    char* end = nullptr;
    check.value = std::strtod(number.c_str(), &end);
    if (end == nullptr || *end != '\0') {
        return base::make_error(base::ErrorKind::Input,
                                "the metric condition \"" + text + "\" compares with \"" + number +
                                    "\", which is not a number");
    }
    return check;
}

bool metric_holds(const MetricCheck& check, double actual) {
    if (std::isnan(actual)) {
        return false;
    }
    if (check.op == ">=") {
        return actual >= check.value;
    }
    if (check.op == ">") {
        return actual > check.value;
    }
    if (check.op == "<=") {
        return actual <= check.value;
    }
    if (check.op == "<") {
        return actual < check.value;
    }
    if (check.op == "==") {
        return actual == check.value;
    }
    return actual != check.value;
}

}  // namespace kfrun::harness
