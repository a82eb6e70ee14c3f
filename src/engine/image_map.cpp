#include "engine/image_map.hpp"

#include "base/strings.hpp"

namespace kfrun::engine {

base::Result<ImageMap::Rule> ImageMap::parse_rule(const std::string& text) {
    std::size_t eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        return base::make_error(base::ErrorKind::Input,
                                "expected PATTERN=IMAGE (e.g. 'python:*=kfrun-fixtures/python:3'), "
                                "got '" + text + "'",
                                "--image-map");
    }
    return Rule{std::string(base::trim(text.substr(0, eq))),
                std::string(base::trim(text.substr(eq + 1)))};
}

std::string normalize_image_reference(const std::string& reference) {
    std::string name = reference;
    std::string suffix;
    std::size_t at = name.find('@');
    if (at != std::string::npos) {
        suffix = name.substr(at);
        name = name.substr(0, at);
    } else {
        std::size_t slash = name.rfind('/');
        std::size_t colon = name.rfind(':');
        if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
            suffix = name.substr(colon);
            name = name.substr(0, colon);
        } else {
            suffix = ":latest";
        }
    }
    std::size_t slash = name.find('/');
    bool has_registry = slash != std::string::npos &&
                        (name.find_first_of(".:", 0) < slash || name.compare(0, slash, "localhost") == 0);
    if (!has_registry) {
        if (slash == std::string::npos) {
            name = "library/" + name;
        }
        name = "docker.io/" + name;
    }
    if (name.compare(0, 16, "index.docker.io/") == 0) {
        name = "docker.io/" + name.substr(16);
    }
    return name + suffix;
}

std::optional<std::string> ImageMap::map(const std::string& reference) const {
    std::string normalized = normalize_image_reference(reference);
    for (const Rule& rule : m_rules) {
        if (rule.pattern == reference ||
            normalize_image_reference(rule.pattern) == normalized) {
            return rule.image;
        }
    }
    for (const Rule& rule : m_rules) {
        if (base::glob_match(rule.pattern, reference) || base::glob_match(rule.pattern, normalized)) {
            return rule.image;
        }
    }
    return std::nullopt;
}

}  // namespace kfrun::engine
