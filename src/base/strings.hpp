#pragma once
// Small string helpers shared by every module.
#include <string>
#include <string_view>
#include <vector>

namespace kfrun::base {

std::string_view trim(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string replace_all(std::string text, std::string_view from, std::string_view to);
// Shell-style glob over a whole string: '*' any run, '?' one char, '[...]' a class.
bool glob_match(std::string_view pattern, std::string_view text);
// Quote an argument for display as a POSIX shell word (only when needed).
std::string shell_quote(std::string_view word);
// Lower-case ASCII.
std::string to_lower(std::string_view text);
// Keep [a-z0-9-], map other characters to '-', collapse runs: a Docker/Kubernetes-safe name part.
std::string sanitize_name(std::string_view text, std::size_t max_length = 63);

}  // namespace kfrun::base
