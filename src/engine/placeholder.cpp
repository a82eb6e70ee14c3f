#include "engine/placeholder.hpp"

#include "base/strings.hpp"

namespace kfrun::engine {

std::vector<Tag> find_tags(std::string_view text) {
    std::vector<Tag> tags;
    std::size_t pos = 0;
    while (true) {
        std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            break;
        }
        std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            break;
        }
        Tag tag;
        tag.begin = open;
        tag.end = close + 2;
        std::string_view inner = base::trim(text.substr(open + 2, close - open - 2));
        tag.expression = !inner.empty() && inner.front() == '=';
        tag.name = std::string(inner);
        tags.push_back(std::move(tag));
        pos = close + 2;
    }
    return tags;
}

bool has_tags(std::string_view text) {
    std::size_t open = text.find("{{");
    return open != std::string_view::npos && text.find("}}", open + 2) != std::string_view::npos;
}

base::Result<std::string> substitute(std::string_view text, const TagLookup& lookup,
                                     Unresolved unresolved) {
    std::vector<Tag> tags = find_tags(text);
    if (tags.empty()) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (const Tag& tag : tags) {
        out.append(text.substr(pos, tag.begin - pos));
        std::optional<std::string> value;
        if (!tag.expression) {
            value = lookup(tag.name);
        }
        if (value) {
            out += *value;
        } else if (unresolved == Unresolved::Fail && !tag.expression) {
            return base::make_error(base::ErrorKind::Step,
                                    "failed to resolve {{" + tag.name + "}}");
        } else {
            out.append(text.substr(tag.begin, tag.end - tag.begin));
        }
        pos = tag.end;
    }
    out.append(text.substr(pos));
    return out;
}

base::Result<std::string> substitute(std::string_view text, const Scope& scope,
                                     Unresolved unresolved) {
    if (text.find("{{") == std::string_view::npos) {
        return std::string(text);
    }
    for (const Tag& tag : find_tags(text)) {
        if (const std::string* problem = scope.find_unresolvable(tag.name)) {
            return base::make_error(base::ErrorKind::Step, *problem);
        }
    }
    return substitute(
        text,
        [&scope](const std::string& name) -> std::optional<std::string> {
            const std::string* value = scope.find(name);
            return value ? std::optional<std::string>(*value) : std::nullopt;
        },
        unresolved);
}

}  // namespace kfrun::engine
