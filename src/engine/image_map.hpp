#pragma once
// ImageMap: `--image-map PATTERN=IMAGE` rules, because compiled pipelines name registry images
// that a laptop builds locally.
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace kfrun::engine {

class ImageMap {
public:
    struct Rule {
        std::string pattern;  // an image reference, or a glob such as "python:*"
        std::string image;
    };

    // Parses "PATTERN=IMAGE".
    static base::Result<Rule> parse_rule(const std::string& text);
    void add(Rule rule) { m_rules.push_back(std::move(rule)); }
    const std::vector<Rule>& rules() const { return m_rules; }

    // The image to run for `reference`: an exact match wins over globs; among globs the first
    // added wins. References are also tried in Docker's normalized form
    // ("docker.io/library/python:3.7" matches "python:3.7" and the reverse).
    std::optional<std::string> map(const std::string& reference) const;
    std::string map_or_same(const std::string& reference) const {
        auto mapped = map(reference);
        return mapped ? *mapped : reference;
    }

private:
    std::vector<Rule> m_rules;
};

// "python:3.7" → "docker.io/library/python:3.7"; "gcr.io/x/y" → "gcr.io/x/y:latest".
std::string normalize_image_reference(const std::string& reference);

}  // namespace kfrun::engine
