#include "component/kfp_naming.hpp"

#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "base/json_depth.hpp"

namespace kfrun::component {

namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string sanitize_file_name(std::string_view name) {
    std::string out;
    bool in_run = false;
    for (char c : name) {
        if (is_alnum(c) || c == '-' || c == '_' || c == '.') {
            out += c;
            in_run = false;
        } else if (!in_run) {
            out += '_';
            in_run = true;
        }
    }
    return out;
}

std::string sanitize_k8s_name(std::string_view name, bool allow_capital_underscore) {
    std::string out;
    for (char raw : name) {
        char c = allow_capital_underscore
                     ? raw
                     : static_cast<char>(std::tolower(static_cast<unsigned char>(raw)));
        bool keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' ||
                    (allow_capital_underscore && ((c >= 'A' && c <= 'Z') || c == '_'));
        char next = keep ? c : '-';
        if (next == '-' && !out.empty() && out.back() == '-') {
            continue;
        }
        out += next;
    }
    std::size_t begin = out.find_first_not_of('-');
    if (begin == std::string::npos) {
        return {};
    }
    std::size_t end = out.find_last_not_of('-');
    return out.substr(begin, end - begin + 1);
}

std::optional<std::string> special_output_name(std::string_view output_name) {
    std::string normalized;
    for (char c : output_name) {
        normalized += is_alnum(c) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                  : '-';
    }
    if (normalized == "mlpipeline-ui-metadata" || normalized == "mlpipeline-metrics") {
        return normalized;
    }
    return std::nullopt;
}

bool is_parameter_type(const std::string& type) {
    static const std::set<std::string> k_types = {
        "string", "str",  "integer", "int",  "float", "double", "boolean", "bool",
        "jsonobject", "jsonarray", "list", "dict", "number"};
    std::string name = type;
    // A structured type is kept as compact JSON: {"JsonObject": {...}}.
    if (!name.empty() && name.front() == '{') {
        if (!base::json_depth_within_limit(name)) {
            return false;
        }
        nlohmann::json parsed = nlohmann::json::parse(name, nullptr, false);
        if (!parsed.is_object() || parsed.size() != 1) {
            return false;
        }
        name = parsed.begin().key();
    }
    std::string lower;
    for (char c : name) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return k_types.count(lower) != 0;
}

}  // namespace kfrun::component
