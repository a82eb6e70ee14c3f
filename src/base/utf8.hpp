#pragma once
// UTF-8 validity and repair with the semantics of Go's encoding/json (what Argo and Kubernetes
// serialise workflow status with): every byte that does not start a valid sequence becomes
// U+FFFD, one replacement per byte (overlong forms, surrogates and code points past U+10FFFF
// are invalid).
#include <cstddef>
#include <string>
#include <string_view>

namespace kfrun::base {

inline constexpr std::string_view k_replacement_character = "\xEF\xBF\xBD";

// The length of the valid UTF-8 sequence at `text[at]`, or 0 when the byte there starts none.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);
bool is_valid_utf8(std::string_view text);
// `text` with each invalid byte replaced by U+FFFD; valid text comes back unchanged.
std::string valid_utf8(std::string_view text);

}  // namespace kfrun::base
