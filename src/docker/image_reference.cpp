#include "docker/image_reference.hpp"

namespace kfrun::docker {

ImageReference ImageReference::parse(std::string_view reference) {
    ImageReference out;
    const auto at = reference.find('@');
    if (at != std::string_view::npos) {
        out.digest = std::string(reference.substr(at + 1));
        reference = reference.substr(0, at);
    }
    const auto last_slash = reference.rfind('/');
    const auto colon = reference.rfind(':');
    if (colon != std::string_view::npos &&
        (last_slash == std::string_view::npos || colon > last_slash)) {
        out.tag = std::string(reference.substr(colon + 1));
        reference = reference.substr(0, colon);
    }
    out.repository = std::string(reference);
    return out;
}

std::string ImageReference::normalized() const {
    std::string out = repository;
    if (!tag.empty()) {
        out += ":" + tag;
    }
    if (!digest.empty()) {
        out += "@" + digest;
    }
    if (tag.empty() && digest.empty()) {
        out += ":latest";
    }
    return out;
}

std::string ImageReference::pull_tag() const {
    if (!digest.empty()) {
        return digest;
    }
    return tag.empty() ? "latest" : tag;
}

std::string with_default_tag(std::string_view reference) {
    return ImageReference::parse(reference).normalized();
}

}  // namespace kfrun::docker
