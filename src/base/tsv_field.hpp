#pragma once
// Fields of tab-separated index files (logs/steps.tsv): a step label may hold any text.
#include <string>
#include <string_view>

namespace kfrun::base {

// One field of a tab-separated line: backslash, tab, newline and carriage return written as
// `\\`, `\t`, `\n`, `\r` (the escapes of PostgreSQL's text COPY format); unescape reverses it.
std::string escape_tsv_field(std::string_view text);
std::string unescape_tsv_field(std::string_view field);

}  // namespace kfrun::base
