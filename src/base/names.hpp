#pragma once
// Which strings a pipeline wrote may stand as what: a Kubernetes object name (what Argo and the
// API server accept as a Workflow's metadata.name) and one plain file name in a folder kfrun owns.
#include <string>
#include <string_view>

namespace kfrun::base {

// Kubernetes' IsDNS1123Subdomain: at most 253 characters of [a-z0-9.-], each dot-separated part
// starting and ending with [a-z0-9] ("my-pipeline-x2k9d", "a.b"; not "My_Pipeline", "../x").
bool is_dns1123_subdomain(std::string_view name);

// A metadata.generateName the API server accepts: Kubernetes checks the prefix with its trailing
// '-' standing for the random suffix ("my-pipeline-" is fine, "-" and "../" are not).
bool is_generate_name_prefix(std::string_view prefix);

// The rule Kubernetes states for both, for messages.
inline constexpr std::string_view k_dns1123_subdomain_rule =
    "a lowercase RFC 1123 subdomain: at most 253 characters, lower case letters, digits, '-' and "
    "'.', starting and ending with a letter or digit";

// A name Docker accepts for a volume: [a-zA-Z0-9][a-zA-Z0-9_.-]+ (at least 2 characters), here
// at most 255 of them.
bool is_docker_volume_name(std::string_view name);

// True for a name that stays one entry of the folder it is joined to: 1 to 200 characters of
// [A-Za-z0-9._-], not starting with '.' (so never "", ".", "..", a path or a hidden file).
bool is_plain_file_name(std::string_view name);

// `name` when is_plain_file_name(name); otherwise "sha256-" and the hex digest of `name`, so a
// hostile or damaged name still maps to one entry of the folder, the same one every time.
std::string plain_file_name(std::string_view name);

}  // namespace kfrun::base
