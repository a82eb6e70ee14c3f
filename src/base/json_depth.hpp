#pragma once
// JSON nesting depth, measured on the text before any parser or printer recurses into it:
// 400 000 nested `[` parse fine but overflow the stack of every recursive walk after (dump,
// copies, kfrun's own). The limit is base::Limits::json_depth ("json-depth").
#include <cstddef>
#include <string>
#include <string_view>

namespace kfrun::base {

// The deepest nesting of `[`/`{` outside strings in `text`, counting no further than
// `stop_after` + 1 (so a huge text costs one pass and no more).
std::size_t json_nesting_depth(std::string_view text, std::size_t stop_after);
// True when `text` nests no deeper than the json-depth limit.
bool json_depth_within_limit(std::string_view text);
// "… nests deeper than 512 levels (limit json-depth=512; raise it with --limit json-depth=VALUE)"
std::string json_depth_problem(std::string_view what);

}  // namespace kfrun::base
