#pragma once
// Markdown → HTML with md4c (GitHub dialect), made safe for the report page: raw HTML is not
// recognised (MD_FLAG_NOHTML, so it shows as text), and link/image URLs are checked after
// rendering: only http, https, mailto, in-page and relative URLs are kept; anything else
// (javascript:, data:, vbscript:, ...) becomes "#" (images: removed source).
#include <string>
#include <string_view>

namespace kfrun::report {

std::string render_markdown(std::string_view markdown);

// True for a URL a report link may carry (see above). `url` as it appears in the attribute,
// entity- and percent-encoded.
bool is_safe_link_url(std::string_view url);

}  // namespace kfrun::report
