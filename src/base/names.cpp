#include "base/names.hpp"

#include "base/sha256.hpp"

namespace kfrun::base {

namespace {

bool lower_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One dot-separated part of a DNS-1123 subdomain: [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool dns1123_label(std::string_view part) {
    if (part.empty() || !lower_alnum(part.front()) || !lower_alnum(part.back())) {
        return false;
    }
    for (char c : part) {
        if (!lower_alnum(c) && c != '-') {
            return false;
        }
    }
    return true;
}

}  // namespace

bool is_dns1123_subdomain(std::string_view name) {
    if (name.empty() || name.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        std::size_t dot = name.find('.', start);
        std::string_view part = name.substr(
            start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (!dns1123_label(part)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

bool is_generate_name_prefix(std::string_view prefix) {
    // apimachinery's maskTrailingDash: a trailing '-' of a longer prefix stands for a letter.
    if (prefix.size() > 1 && prefix.back() == '-') {
        std::string masked(prefix);
        masked.back() = 'a';
        return is_dns1123_subdomain(masked);
    }
    return is_dns1123_subdomain(prefix);
}

bool is_plain_file_name(std::string_view name) {
    if (name.empty() || name.size() > 200 || name.front() == '.') {
        return false;
    }
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string plain_file_name(std::string_view name) {
    if (is_plain_file_name(name)) {
        return std::string(name);
    }
    return "sha256-" + sha256_hex(name);
}

bool is_docker_volume_name(std::string_view name) {
    if (name.size() < 2 || name.size() > 255) {
        return false;
    }
    auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (!alnum(name.front())) {
        return false;
    }
    for (char c : name) {
        if (!alnum(c) && c != '_' && c != '.' && c != '-') {
            return false;
        }
    }
    return true;
}

}  // namespace kfrun::base
