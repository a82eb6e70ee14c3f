#include "engine/json_path.hpp"

#include <cstdlib>

#include "base/json_text.hpp"
#include "base/strings.hpp"

namespace kfrun::engine {

namespace {

base::Error path_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

// Follows ".a.b[0].c" from `object`; nullptr when a step is missing.
const nlohmann::json* follow(const nlohmann::json& object, const std::string& path) {
    const nlohmann::json* current = &object;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
            std::size_t end = path.find_first_of(".[", i);
            std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
            if (key.empty()) {
                continue;
            }
            if (!current->is_object() || !current->contains(key)) {
                return nullptr;
            }
            current = &(*current)[key];
            i = end == std::string::npos ? path.size() : end;
        } else if (path[i] == '[') {
            std::size_t close = path.find(']', i);
            if (close == std::string::npos) {
                return nullptr;
            }
            std::string inside = path.substr(i + 1, close - i - 1);
            if (!inside.empty() && (inside.front() == '\'' || inside.front() == '"')) {
                std::string key = inside.substr(1, inside.size() - 2);
                if (!current->is_object() || !current->contains(key)) {
                    return nullptr;
                }
                current = &(*current)[key];
            } else {
                char* end = nullptr;
                long index = std::strtol(inside.c_str(), &end, 10);
                if (!current->is_array() || end == inside.c_str()) {
                    return nullptr;
                }
                if (index < 0) {
                    index += static_cast<long>(current->size());
                }
                if (index < 0 || static_cast<std::size_t>(index) >= current->size()) {
                    return nullptr;
                }
                current = &(*current)[static_cast<std::size_t>(index)];
            }
            i = close + 1;
        } else {
            std::size_t end = path.find_first_of(".[", i);
            std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
            if (!current->is_object() || !current->contains(key)) {
                return nullptr;
            }
            current = &(*current)[key];
            i = end == std::string::npos ? path.size() : end;
        }
    }
    return current;
}

std::string print(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_null()) {
        return "";
    }
    return base::json_text(value);
}

}  // namespace

base::Result<std::string> evaluate_json_path(const std::string& expression,
                                             const nlohmann::json& object) {
    std::string out;
    std::size_t pos = 0;
    while (pos < expression.size()) {
        std::size_t open = expression.find('{', pos);
        if (open == std::string::npos) {
            out += expression.substr(pos);
            break;
        }
        out += expression.substr(pos, open - pos);
        std::size_t close = expression.find('}', open);
        if (close == std::string::npos) {
            return path_error("unclosed `{` in JSONPath " + expression);
        }
        std::string path(base::trim(expression.substr(open + 1, close - open - 1)));
        if (path.empty() || path == "." || path == "@") {
            out += base::json_text(object);
        } else {
            if (path.front() == '$') {
                path.erase(0, 1);
            }
            const nlohmann::json* value = follow(object, path);
            if (value != nullptr) {
                out += print(*value);
            }
        }
        pos = close + 1;
    }
    return out;
}

base::Result<bool> evaluate_resource_condition(const std::string& condition,
                                               const nlohmann::json& object) {
    // Split on commas outside parentheses.
    std::vector<std::string> requirements;
    int depth = 0;
    std::string current;
    for (char c : condition) {
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
        }
        if (c == ',' && depth == 0) {
            requirements.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    requirements.push_back(current);
    for (const std::string& raw : requirements) {
        std::string requirement(base::trim(raw));
        if (requirement.empty()) {
            continue;
        }
        static const char* k_operators[] = {" notin ", " in ", "==", "!=", ">=", "<=", "=", ">",
                                            "<"};
        std::string op;
        std::size_t at = std::string::npos;
        for (const char* candidate : k_operators) {
            at = requirement.find(candidate);
            if (at != std::string::npos) {
                op = candidate;
                break;
            }
        }
        if (at == std::string::npos) {
            return path_error("cannot read the condition `" + requirement + "`");
        }
        std::string path(base::trim(requirement.substr(0, at)));
        std::string wanted(base::trim(requirement.substr(at + op.size())));
        op = std::string(base::trim(op));
        const nlohmann::json* value = follow(object, path.front() == '.' ? path : "." + path);
        std::string actual = value == nullptr ? "" : print(*value);
        bool holds = false;
        if (op == "==" || op == "=") {
            holds = value != nullptr && actual == wanted;
        } else if (op == "!=") {
            holds = actual != wanted;
        } else if (op == "in" || op == "notin") {
            std::string list = wanted;
            if (list.size() >= 2 && list.front() == '(' && list.back() == ')') {
                list = list.substr(1, list.size() - 2);
            }
            bool found = false;
            for (const std::string& item : base::split(list, ',')) {
                found = found || std::string(base::trim(item)) == actual;
            }
            holds = op == "in" ? (value != nullptr && found) : !found;
        } else {
            char* end_a = nullptr;
            char* end_b = nullptr;
            double a = std::strtod(actual.c_str(), &end_a);
            double b = std::strtod(wanted.c_str(), &end_b);
            if (value == nullptr || end_a == actual.c_str() || end_b == wanted.c_str()) {
                holds = false;
            } else {
                holds = op == ">" ? a > b : op == "<" ? a < b : op == ">=" ? a >= b : a <= b;
            }
        }
        if (!holds) {
            return false;
        }
    }
    return true;
}

}  // namespace kfrun::engine
