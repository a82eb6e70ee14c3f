#include "base/strings.hpp"

#include <cctype>

namespace kfrun::base {

std::string_view trim(std::string_view text) {
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin])) != 0) {
        ++begin;
    }
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1])) != 0) {
        --end;
    }
    return text.substr(begin, end - begin);
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t pos = text.find(separator, start);
        if (pos == std::string_view::npos) {
            parts.emplace_back(text.substr(start));
            return parts;
        }
        parts.emplace_back(text.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += parts[i];
    }
    return out;
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
    if (from.empty()) {
        return text;
    }
    std::size_t pos = 0;
    while ((pos = text.find(from, pos)) != std::string::npos) {
        text.replace(pos, from.size(), to);
        pos += to.size();
    }
    return text;
}

namespace {

// Matches a '[...]' class at pattern[p] against c; sets p past the class. Returns -1 if malformed.
int match_class(std::string_view pattern, std::size_t& p, char c) {
    std::size_t i = p + 1;
    bool negate = false;
    if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
        negate = true;
        ++i;
    }
    bool matched = false;
    bool first = true;
    while (i < pattern.size() && (first || pattern[i] != ']')) {
        first = false;
        char lo = pattern[i];
        char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            hi = pattern[i + 2];
            i += 2;
        }
        if (lo <= c && c <= hi) {
            matched = true;
        }
        ++i;
    }
    if (i >= pattern.size()) {
        return -1;
    }
    p = i + 1;
    return matched != negate ? 1 : 0;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star_p = std::string_view::npos;
    std::size_t star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star_p = p++;
            star_t = t;
            continue;
        }
        if (p < pattern.size() && pattern[p] == '?') {
            ++p;
            ++t;
            continue;
        }
        if (p < pattern.size() && pattern[p] == '[') {
            std::size_t q = p;
            int r = match_class(pattern, q, text[t]);
            if (r == 1) {
                p = q;
                ++t;
                continue;
            }
            if (r == -1 && text[t] == '[') {
                ++p;
                ++t;
                continue;
            }
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
            continue;
        }
        if (star_p == std::string_view::npos) {
            return false;
        }
        p = star_p + 1;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::string shell_quote(std::string_view word) {
    if (word.empty()) {
        return "''";
    }
    bool safe = true;
    for (char c : word) {
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 &&
            std::string_view("-_./=:,+@%").find(c) == std::string_view::npos) {
            safe = false;
            break;
        }
    }
    if (safe) {
        return std::string(word);
    }
    std::string out = "'";
    for (char c : word) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string sanitize_name(std::string_view text, std::size_t max_length) {
    std::string out;
    for (char c : text) {
        char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        bool keep = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
        if (keep) {
            out += lower;
        } else if (!out.empty() && out.back() != '-') {
            out += '-';
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    if (out.size() > max_length) {
        out.resize(max_length);
        while (!out.empty() && out.back() == '-') {
            out.pop_back();
        }
    }
    return out;
}

}  // namespace kfrun::base
