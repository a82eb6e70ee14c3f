#include "harness/line_diff.hpp"

#include <algorithm>
#include <vector>

namespace kfrun::harness {

namespace {

struct Lines {
    std::vector<std::string_view> lines;
    bool final_newline = true;
};

Lines split_lines(std::string_view text) {
    Lines out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            out.lines.push_back(text.substr(start));
            out.final_newline = false;
            return out;
        }
        out.lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

enum class Op { Keep, Remove, Add };

struct Edit {
    Op op;
    std::size_t expected_line;  // index into expected (Keep/Remove)
    std::size_t actual_line;    // index into actual (Keep/Add)
};

// Longest common subsequence by dynamic programming over suffixes; fine for test-sized texts.
std::vector<Edit> edit_script(const std::vector<std::string_view>& a,
                              const std::vector<std::string_view>& b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::uint32_t> table((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return table[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
        for (std::size_t j = m; j-- > 0;) {
            at(i, j) = a[i] == b[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        }
    }
    std::vector<Edit> edits;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            edits.push_back({Op::Keep, i++, j++});
        } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
            edits.push_back({Op::Remove, i++, j});  // removals first, as diff(1) prints them
        } else {
            edits.push_back({Op::Add, i, j++});
        }
    }
    return edits;
}

std::string range(std::size_t start, std::size_t count) {
    // diff(1): a range of length 0 names the line before it.
    std::size_t first = count == 0 ? start : start + 1;
    return count == 1 ? std::to_string(first)
                      : std::to_string(first) + "," + std::to_string(count);
}

}  // namespace

bool is_text(std::string_view bytes) {
    return bytes.find('\0') == std::string_view::npos;
}

std::string unified_diff(std::string_view expected, std::string_view actual,
                         const DiffLabels& labels, int context, std::size_t max_lines) {
    if (expected == actual) {
        return {};
    }
    Lines a = split_lines(expected);
    Lines b = split_lines(actual);
    std::string out = "--- " + labels.expected + "\n+++ " + labels.actual + "\n";
    if (a.lines.size() > max_lines || b.lines.size() > max_lines) {
        std::size_t first = 0;
        while (first < a.lines.size() && first < b.lines.size() &&
               a.lines[first] == b.lines[first]) {
            ++first;
        }
        out += "(" + std::to_string(a.lines.size()) + " vs " + std::to_string(b.lines.size()) +
               " lines: too long to diff; the first difference is at line " +
               std::to_string(first + 1) + ")\n";
        return out;
    }
    // Compare keys in which an unterminated last line differs from its terminated twin.
    auto keys = [](const Lines& text) {
        std::vector<std::string> out(text.lines.begin(), text.lines.end());
        if (!text.final_newline && !out.empty()) {
            out.back() += '\0';
        }
        return out;
    };
    std::vector<std::string> left_keys = keys(a);
    std::vector<std::string> right_keys = keys(b);
    std::vector<std::string_view> left(left_keys.begin(), left_keys.end());
    std::vector<std::string_view> right(right_keys.begin(), right_keys.end());
    std::vector<Edit> edits = edit_script(left, right);
    std::vector<bool> changed(edits.size(), false);
    for (std::size_t k = 0; k < edits.size(); ++k) {
        changed[k] = edits[k].op != Op::Keep;
    }
    std::size_t k = 0;
    const std::size_t width = static_cast<std::size_t>(std::max(0, context));
    while (k < edits.size()) {
        if (!changed[k]) {
            ++k;
            continue;
        }
        std::size_t begin = k >= width ? k - width : 0;
        std::size_t end = k;
        // Extend while another change follows within 2 * context kept lines.
        while (true) {
            std::size_t next = end + 1;
            while (next < edits.size() && !changed[next] && next - end <= 2 * width) {
                ++next;
            }
            if (next < edits.size() && changed[next]) {
                end = next;
                continue;
            }
            break;
        }
        std::size_t stop = std::min(edits.size(), end + 1 + width);
        std::size_t a_start = 0;
        std::size_t b_start = 0;
        std::size_t a_count = 0;
        std::size_t b_count = 0;
        bool a_set = false;
        bool b_set = false;
        std::string body;
        for (std::size_t e = begin; e < stop; ++e) {
            const Edit& edit = edits[e];
            auto line = [&](Op op) {
                bool from_a = op != Op::Add;
                std::size_t index = from_a ? edit.expected_line : edit.actual_line;
                const Lines& source = from_a ? a : b;
                std::string_view text =
                    index < source.lines.size() ? source.lines[index] : std::string_view();
                char mark = op == Op::Keep ? ' ' : (op == Op::Remove ? '-' : '+');
                body += mark;
                body += text;
                body += '\n';
                if (index + 1 == source.lines.size() && !source.final_newline) {
                    body += "\\ No newline at end of file\n";
                }
            };
            if (edit.op != Op::Add) {
                if (!a_set) {
                    a_start = edit.expected_line;
                    a_set = true;
                }
                ++a_count;
            }
            if (edit.op != Op::Remove) {
                if (!b_set) {
                    b_start = edit.actual_line;
                    b_set = true;
                }
                ++b_count;
            }
            line(edit.op);
        }
        if (!a_set) {
            a_start = edits[begin].expected_line;
        }
        if (!b_set) {
            b_start = edits[begin].actual_line;
        }
        out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n" + body;
        k = stop;
    }
    return out;
}

}  // namespace kfrun::harness
