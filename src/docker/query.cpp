#include "docker/query.hpp"
#include "base/json_text.hpp"

#include <nlohmann/json.hpp>

namespace kfrun::docker {

namespace {

std::string percent_encode(std::string_view text, std::string_view keep) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' ||
                                byte == '.' || byte == '~';
        if (unreserved || keep.find(c) != std::string_view::npos) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(k_hex[byte >> 4]);
            out.push_back(k_hex[byte & 0x0f]);
        }
    }
    return out;
}

}  // namespace

std::string url_encode(std::string_view text) {
    return percent_encode(text, "");
}

std::string encode_path(std::string_view text) {
    return percent_encode(text, ":@/");
}

Query& Query::add(std::string_view key, std::string_view value) {
    m_params.emplace_back(std::string(key), std::string(value));
    return *this;
}

std::string Query::str() const {
    std::string out;
    for (const auto& [key, value] : m_params) {
        out += out.empty() ? "?" : "&";
        out += url_encode(key);
        out += '=';
        out += url_encode(value);
    }
    return out;
}

std::string label_filter_json(const std::map<std::string, std::string>& labels) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [key, value] : labels) {
        values.push_back(value.empty() ? key : key + "=" + value);
    }
    return base::json_text(nlohmann::json{{"label", values}});
}

}  // namespace kfrun::docker
