#pragma once
// ImageReference: "[registry/]repo[:tag][@digest]" split the way docker splits it.
#include <string>
#include <string_view>

namespace kfrun::docker {

struct ImageReference {
    std::string repository;  // with registry and path: "localhost:5000/team/app"
    std::string tag;         // "" when none was given
    std::string digest;      // "sha256:..." or ""

    // A tag is the part after a ':' in the last path component; a digest follows '@'.
    static ImageReference parse(std::string_view reference);

    // The reference as docker names it: ":latest" added when there is neither tag nor digest.
    std::string normalized() const;
    // The `tag` parameter of POST /images/create: the digest, else the tag, else "latest".
    // Never empty (an empty tag pulls every tag of the repository).
    std::string pull_tag() const;
};

// ImageReference::parse(reference).normalized().
std::string with_default_tag(std::string_view reference);

}  // namespace kfrun::docker
