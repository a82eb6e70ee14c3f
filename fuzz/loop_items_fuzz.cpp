// Fuzz target: loop items (src/engine/loop_items): a `withParam` value as JSON, each item's text,
// iteration name and `{{item.*}}` bindings; and `withSequence` fields.
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/strings.hpp"
#include "engine/loop_items.hpp"
#include "engine/scope.hpp"

namespace {

// withSequence fields are kept to 4 characters: a huge count is a limit question (issue 16,
// finding 7), not a parser one.
std::optional<std::string> field(const std::vector<std::string>& lines, std::size_t i) {
    if (i >= lines.size() || lines[i] == "-") {
        return std::nullopt;
    }
    return lines[i].substr(0, 4);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 4 != 0) {
        auto items = kfrun::engine::items_from_param(text);
        if (items.ok()) {
            std::size_t index = 0;
            for (const nlohmann::json& item : *items) {
                kfrun::engine::Scope scope;
                kfrun::engine::bind_item(scope, item);
                (void)kfrun::engine::iteration_suffix(index++, item);
            }
        }
        return 0;
    }
    std::vector<std::string> lines = kfrun::base::split(text, '\n');
    kfrun::model::Sequence sequence;
    sequence.count = field(lines, 0);
    sequence.start = field(lines, 1);
    sequence.end = field(lines, 2);
    sequence.format = lines.size() > 3 ? lines[3] : "";
    auto items = kfrun::engine::items_from_sequence(sequence);
    if (items.ok()) {
        for (const nlohmann::json& item : *items) {
            (void)kfrun::engine::item_text(item);
        }
    }
    return 0;
}
