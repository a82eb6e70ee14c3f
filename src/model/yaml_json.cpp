#include "model/yaml_json.hpp"

#include <cstdlib>
#include <fstream>
#include <vector>

#include "base/limits.hpp"
#include "model/yaml_documents.hpp"

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

base::Result<void> check_yaml_text_size(std::size_t bytes, const std::string& where) {
    if (bytes > base::limits().yaml_bytes) {
        return base::make_error(base::ErrorKind::Input,
                                "the YAML is " + std::to_string(bytes) +
                                    " bytes, more than allowed " + base::limit_hint("yaml-bytes"),
                                where);
    }
    return base::ok();
}

base::Result<std::string> read_file_at_most(const std::filesystem::path& file,
                                            std::uint64_t max_bytes, const std::string& limit) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return base::make_error(base::ErrorKind::Input, "cannot read the file", file.string());
    }
    std::string text;
    char chunk[65536];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
        text.append(chunk, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes) {
            return base::make_error(base::ErrorKind::Input,
                                    "the file is larger than allowed " + base::limit_hint(limit),
                                    file.string());
        }
    }
    if (in.bad()) {
        return base::make_error(base::ErrorKind::Input, "cannot read the file", file.string());
    }
    return text;
}

base::Result<nlohmann::json> parse_yaml_text(const std::string& text) {
    KFRUN_TRY(check_yaml_text_size(text.size(), ""));
    try {
        auto loaded = load_yaml_document(text, "");
        KFRUN_TRY(loaded);
        YAML::Node root = std::move(*loaded);
        return yaml_to_json(root);
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
