#pragma once
// The tokens of a CEL expression (cel-spec langdef.md, "Syntax"): identifiers, numbers, strings
// with their escapes decoded, punctuation. Internal to cel_parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kfrun::engine::cel {

enum class TokenKind { Ident, Int, Uint, Double, String, Punct, End };

struct Token {
    TokenKind kind = TokenKind::End;
    std::size_t offset = 0;
    std::string text;             // Ident: the name; Punct: the operator; String: the decoded value
    std::uint64_t magnitude = 0;  // Int/Uint (an Int may be 2^63 until a minus sign claims it)
    double number = 0;            // Double
};

// "column 7" (or "line 2, column 3" in a text of several lines); columns count code points.
std::string text_position(std::string_view text, std::size_t offset);

// The tokens of `text`, ending with an End token. Errors: "syntax error at column N: ...".
base::Result<std::vector<Token>> tokenize(std::string_view text);

}  // namespace kfrun::engine::cel
