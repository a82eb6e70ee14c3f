#pragma once
// A unified-style line diff of two texts (expected vs actual), small enough to print under a
// failed check: "--- expected", "+++ actual", "@@ -a,b +c,d @@" hunks with context lines.
#include <string>
#include <string_view>

namespace kfrun::harness {

struct DiffLabels {
    std::string expected = "expected";
    std::string actual = "actual";
};

// Empty when the texts are equal. Texts beyond `max_lines` lines each are not diffed line by
// line; the result then names the first differing line. A missing final newline is marked as
// diff(1) marks it.
std::string unified_diff(std::string_view expected, std::string_view actual,
                         const DiffLabels& labels = {}, int context = 3,
                         std::size_t max_lines = 4000);

// True when the bytes look like text worth diffing (valid-ish UTF-8, no NUL bytes).
bool is_text(std::string_view bytes);

}  // namespace kfrun::harness
