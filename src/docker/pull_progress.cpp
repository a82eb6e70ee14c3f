#include "docker/pull_progress.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "docker/json_fields.hpp"

namespace kfrun::docker {
namespace {

constexpr std::uint64_t k_max_layer_bytes = std::uint64_t{1} << 50;  // 1 PiB: beyond is garbage

std::uint64_t size_of(const nlohmann::json& object, std::string_view key) {
    const auto& value = json_fields::member(object, key);
    if (value.is_number_unsigned()) {
        return std::min(value.get<std::uint64_t>(), k_max_layer_bytes);
    }
    if (value.is_number_integer()) {
        const auto signed_value = value.get<std::int64_t>();
        return signed_value > 0 ? std::min<std::uint64_t>(signed_value, k_max_layer_bytes) : 0;
    }
    return 0;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool PullProgressTracker::add_line(std::string_view line) {
    if (line.size() > 64 * 1024) {
        return false;
    }
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return false;
    }
    const std::string status = json_fields::string_of(json, "status");
    const std::string id = json_fields::string_of(json, "id");
    // Lines without an id are about the whole image ("Digest: …", "Status: …"); "Pulling
    // from x" carries the tag as its id.
    if (id.empty() || id.size() > 256 || starts_with(status, "Pulling from")) {
        return false;
    }
    auto it = m_layers.find(id);
    if (it == m_layers.end()) {
        if (m_layers.size() >= k_max_layers) {
            return false;
        }
        it = m_layers.emplace(id, Layer{}).first;
    }
    Layer& layer = it->second;
    const auto& detail = json_fields::member(json, "progressDetail");
    if (status == "Downloading") {
        layer.total = std::max(layer.total, size_of(detail, "total"));
        layer.current = std::max(layer.current, size_of(detail, "current"));
        if (layer.total != 0) {
            layer.current = std::min(layer.current, layer.total);
        }
    } else if (status == "Verifying Checksum" || status == "Download complete" ||
               status == "Extracting") {
        if (layer.total == 0 && status == "Extracting") {
            layer.total = size_of(detail, "total");  // small layers skip "Downloading"
        }
        layer.current = layer.total;
    } else if (status == "Pull complete") {
        layer.current = layer.total;
        layer.done = true;
    } else if (status == "Already exists") {
        layer.done = true;
        layer.present = true;
        layer.current = 0;
        layer.total = 0;
    }
    return true;
}

engine::PullProgress PullProgressTracker::snapshot() const {
    engine::PullProgress progress;
    progress.image = m_image;
    for (const auto& [id, layer] : m_layers) {
        progress.bytes_done += layer.current;
        progress.bytes_total += layer.total;
        progress.layers_done += layer.done ? 1 : 0;
    }
    progress.layers_total = static_cast<int>(m_layers.size());
    return progress;
}

}  // namespace kfrun::docker
