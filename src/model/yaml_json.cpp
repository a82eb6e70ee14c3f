#include "model/yaml_json.hpp"

#include <cstdlib>

namespace kfrun::model {

namespace {

nlohmann::json plain_scalar_to_json(const std::string& text) {
    if (text == "true" || text == "True" || text == "TRUE") {
        return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
        return false;
    }
    if (text == "null" || text == "Null" || text == "NULL" || text == "~" || text.empty()) {
        return nullptr;
    }
    // Integers and floats as YAML's core schema spells them.
    const char* begin = text.c_str();
    char* end = nullptr;
    long long integer = std::strtoll(begin, &end, 10);
    if (end != begin && *end == '\0' && text.find_first_of("xX") == std::string::npos) {
        return integer;
    }
    double number = std::strtod(begin, &end);
    bool has_digit = text.find_first_of("0123456789") != std::string::npos;
    if (end != begin && *end == '\0' && has_digit &&
        text.find_first_of("xXnN") == std::string::npos) {
        return number;
    }
    return text;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return nullptr;
        case YAML::NodeType::Scalar:
            if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") {
                return node.Scalar();
            }
            return plain_scalar_to_json(node.Scalar());
        case YAML::NodeType::Sequence: {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& item : node) {
                out.push_back(yaml_to_json(item));
            }
            return out;
        }
        case YAML::NodeType::Map: {
            nlohmann::json out = nlohmann::json::object();
            for (const auto& entry : node) {
                out[entry.first.Scalar()] = yaml_to_json(entry.second);
            }
            return out;
        }
    }
    return nullptr;
}

base::Result<nlohmann::json> parse_yaml_text(const std::string& text) {
    try {
        return yaml_to_json(YAML::Load(text));
    } catch (const YAML::Exception& e) {
        std::string where;
        if (e.mark.line >= 0) {
            where = "line " + std::to_string(e.mark.line + 1) + ":" +
                    std::to_string(e.mark.column + 1);
        }
        return base::make_error(base::ErrorKind::Input, "invalid YAML: " + e.msg, where);
    }
}

}  // namespace kfrun::model
