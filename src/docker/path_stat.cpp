#include "docker/path_stat.hpp"

#include <nlohmann/json.hpp>

#include "docker/json_fields.hpp"

namespace kfrun::docker {

std::optional<std::string> decode_base64(std::string_view text) {
    const auto value_of = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    };
    while (!text.empty() && text.back() == '=') {
        text.remove_suffix(1);
    }
    std::string out;
    out.reserve(text.size() * 3 / 4);
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : text) {
        const int value = value_of(c);
        if (value < 0) {
            return std::nullopt;
        }
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out.push_back(static_cast<char>((bits >> bit_count) & 0xffU));
        }
    }
    return out;
}

std::optional<PathStat> PathStat::from_header(std::string_view value) {
    const auto decoded = decode_base64(value);
    if (!decoded) {
        return std::nullopt;
    }
    const auto json = nlohmann::json::parse(*decoded, nullptr, false);
    if (!json.is_object()) {
        return std::nullopt;
    }
    using namespace json_fields;
    return PathStat{string_of(json, "name"), int_of(json, "size"),
                    static_cast<std::uint32_t>(int_of(json, "mode")), string_of(json, "mtime"),
                    string_of(json, "linkTarget")};
}

}  // namespace kfrun::docker
