#pragma once
// Query: builds the "?a=1&b=x%20y" part of a Docker API request target.
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kfrun::docker {

// Percent-encodes everything except RFC 3986's unreserved characters (A-Z a-z 0-9 - _ . ~).
std::string url_encode(std::string_view text);
// Percent-encodes a name for a request path the same way, but keeps ':', '@' and '/' as they
// are (image references such as "repo/name:tag" or "repo@sha256:..." go into paths verbatim).
std::string encode_path(std::string_view text);

class Query {
  public:
    Query& add(std::string_view key, std::string_view value);
    Query& add(std::string_view key, bool value) { return add(key, value ? "1" : "0"); }
    Query& add(std::string_view key, const char* value) {
        return add(key, std::string_view(value));
    }
    Query& add(std::string_view key, long long value) { return add(key, std::to_string(value)); }
    // "" when empty, else "?k=v&k2=v2" in insertion order.
    std::string str() const;
    bool empty() const { return m_params.empty(); }

  private:
    std::vector<std::pair<std::string, std::string>> m_params;
};

// The `filters` JSON for "has every one of these labels": {"label":["k=v","k2"]}.
// An empty value matches on the key alone.
std::string label_filter_json(const std::map<std::string, std::string>& labels);

}  // namespace kfrun::docker
