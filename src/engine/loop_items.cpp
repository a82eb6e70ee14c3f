#include "engine/loop_items.hpp"

#include <algorithm>
#include <cstdio>

#include <re2/re2.h>

#include "base/json_depth.hpp"
#include "base/limits.hpp"
#include "base/strings.hpp"
#include "base/json_text.hpp"

namespace kfrun::engine {

std::string item_text(const nlohmann::json& item) {
    if (item.is_string()) {
        return item.get<std::string>();
    }
    if (item.is_null()) {
        return "null";
    }
    return base::json_text(item);  // nlohmann sorts object keys, as Go's json.Marshal of a map does
}

void bind_item(Scope& scope, const nlohmann::json& item) {
    scope.set("item", item_text(item));
    if (item.is_object()) {
        for (auto it = item.begin(); it != item.end(); ++it) {
            scope.set("item." + it.key(), item_text(it.value()));
        }
    }
}

std::string iteration_suffix(std::size_t index, const nlohmann::json& item) {
    std::string description;
    if (item.is_object()) {
        std::vector<std::string> parts;
        for (auto it = item.begin(); it != item.end(); ++it) {
            parts.push_back(it.key() + ":" + item_text(it.value()));
        }
        std::sort(parts.begin(), parts.end());
        description = base::join(parts, ",");
    } else {
        description = item_text(item);
    }
    description = base::replace_all(base::replace_all(description, "(", ""), ")", "");
    return "(" + std::to_string(index) + ":" + description + ")";
}

base::Result<void> check_loop_item_count(std::uint64_t count, const std::string& what) {
    if (count > base::limits().loop_items) {
        return base::make_error(base::ErrorKind::Input, what + " has " + std::to_string(count) +
                                                            " items, more than allowed " +
                                                            base::limit_hint("loop-items"));
    }
    return base::ok();
}

base::Result<void> check_run_nodes(std::uint64_t existing, std::uint64_t adding) {
    if (existing + adding > base::limits().run_nodes) {
        return base::make_error(base::ErrorKind::Step,
                                "the run would have more than " +
                                    std::to_string(base::limits().run_nodes) + " nodes " +
                                    base::limit_hint("run-nodes"));
    }
    return base::ok();
}

base::Result<std::vector<nlohmann::json>> items_from_param(const std::string& text) {
    if (!base::json_depth_within_limit(text)) {
        return base::make_error(base::ErrorKind::Step,
                                base::json_depth_problem("the withParam value"));
    }
    nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !(parsed.is_array() || parsed.is_null())) {
        return base::make_error(base::ErrorKind::Step,
                                "withParam value could not be parsed as a JSON list: " + text);
    }
    std::vector<nlohmann::json> items;
    if (parsed.is_array()) {
        KFRUN_TRY(check_loop_item_count(parsed.size(), "the withParam value"));
        items.reserve(parsed.size());
        for (auto& item : parsed) {
            items.push_back(std::move(item));
        }
    }
    return items;
}

base::Result<std::vector<nlohmann::json>> items_from_sequence(const model::Sequence& sequence) {
    auto parse_int = [](const std::optional<std::string>& text, long long fallback,
                        const char* field) -> base::Result<long long> {
        if (!text || text->empty()) {
            return fallback;
        }
        char* end = nullptr;
        long long value = std::strtoll(text->c_str(), &end, 10);
        if (end == text->c_str() || *end != '\0') {
            return base::make_error(base::ErrorKind::Step, std::string("withSequence.") + field +
                                                               " is not an integer: " + *text);
        }
        return value;
    };
    if (sequence.count && sequence.end) {
        return base::make_error(base::ErrorKind::Step,
                                "withSequence takes either count or end, not both");
    }
    auto start = parse_int(sequence.start, 0, "start");
    KFRUN_TRY(start);
    long long first = *start;
    long long last = 0;
    if (sequence.count) {
        auto count = parse_int(sequence.count, 0, "count");
        KFRUN_TRY(count);
        if (*count <= 0) {
            return std::vector<nlohmann::json>{};
        }
        KFRUN_TRY(check_loop_item_count(static_cast<std::uint64_t>(*count), "withSequence"));
        if (__builtin_add_overflow(first, *count - 1, &last)) {
            return base::make_error(base::ErrorKind::Step,
                                    "withSequence.start + count is out of range");
        }
    } else {
        auto end = parse_int(sequence.end, 0, "end");
        KFRUN_TRY(end);
        last = *end;
        // |last - first| + 1 items, computed without overflow.
        unsigned long long span =
            last >= first
                ? static_cast<unsigned long long>(last) - static_cast<unsigned long long>(first)
                : static_cast<unsigned long long>(first) - static_cast<unsigned long long>(last);
        KFRUN_TRY(check_loop_item_count(span == ~0ull ? span : span + 1, "withSequence"));
    }
    std::string format = sequence.format.empty() ? "%d" : sequence.format;
    // Go's printf verbs for integers, made to take a long long.
    {
        std::string without_escapes = base::replace_all(format, "%%", "");
        static const RE2 k_verb("%[-+ 0#]*[0-9]*[dioxX]");
        bool one_verb = std::count(without_escapes.begin(), without_escapes.end(), '%') == 1 &&
                        RE2::PartialMatch(without_escapes, k_verb);
        if (!one_verb) {
            return base::make_error(base::ErrorKind::Step,
                                    "withSequence.format must hold one integer verb such as %d or "
                                    "%02d: " + format);
        }
    }
    std::string fmt = format;
    static const RE2 k_verb_parts("%([-+ 0#]*[0-9]*)([dioxX])");
    RE2::GlobalReplace(&fmt, k_verb_parts, "%\\1ll\\2");
    std::vector<nlohmann::json> items;
    long long step = last >= first ? 1 : -1;
    for (long long i = first;; i += step) {
        char buffer[128];
        std::snprintf(buffer, sizeof buffer, fmt.c_str(), i);
        items.emplace_back(std::string(buffer));
        if (i == last) {
            break;
        }
    }
    return items;
}

}  // namespace kfrun::engine
