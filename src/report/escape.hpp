#pragma once
// Escaping for every output format the reports write. Everything a step wrote goes through one
// of these: the report must stay well-formed and inert whatever the step put in its files.
#include <string>
#include <string_view>

namespace kfrun::report {

// Valid UTF-8: each malformed sequence (bad lead byte, truncated, overlong, surrogate, > U+10FFFF)
// becomes U+FFFD. NUL becomes U+FFFD as well.
std::string sanitize_utf8(std::string_view text);

// HTML text and attribute values (quoted with "): & < > " ' escaped, UTF-8 sanitised.
std::string escape_html(std::string_view text);

// JSON to place inside <script type="application/json">: `<`, `>`, `&`, U+2028 and U+2029 as
// \uXXXX escapes, so the text can never close the element or start a comment.
std::string json_for_script(std::string_view json);

// XML 1.0 text and attribute values: & < > " ' escaped, line breaks in attributes kept as
// character references, characters XML forbids (most control characters) replaced by U+FFFD.
std::string escape_xml(std::string_view text);
// A CDATA section holding `text`: `]]>` split across two sections, forbidden characters replaced.
std::string xml_cdata(std::string_view text);

// One GitHub-flavoured Markdown table cell or inline text: Markdown punctuation and pipes
// backslash-escaped, line breaks as <br>, so user text can neither break the table nor add
// markup.
std::string escape_markdown_inline(std::string_view text);

// A relative URL path: every byte except unreserved characters and '/' percent-encoded
// (still to be HTML-escaped in an attribute).
std::string escape_url_path(std::string_view path);

// At most `max_chars` code points of (sanitised) text, ending in "…" when cut.
std::string truncate_text(std::string_view text, std::size_t max_chars);

// A safe id/file name part: [A-Za-z0-9._-] kept, anything else '_'; never empty, "." or "..".
std::string safe_path_part(std::string_view text);

}  // namespace kfrun::report
