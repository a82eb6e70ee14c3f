#pragma once
// visible_text: step-controlled text made safe to print on a terminal. A step's log line, an
// output value or an error holding either must not move the cursor, retitle the window, write
// the clipboard (OSC 52) or hide text: every control character is shown instead, as `\x1b`.
#include <string>
#include <string_view>

namespace kfrun::base {

// `text` with C0 controls (except tab, and newline when `keep_newlines`), DEL, C1 controls
// (U+0080-U+009F, and the raw bytes 0x80-0x9F), bytes that are not valid UTF-8 and the bidi
// override/isolate characters (U+202A-U+202E, U+2066-U+2069) written as `\xNN` or `\uNNNN`.
// Valid printable text comes back unchanged.
std::string visible_text(std::string_view text, bool keep_newlines = false);

}  // namespace kfrun::base
