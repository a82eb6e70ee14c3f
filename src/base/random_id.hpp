#pragma once
// Random identifiers: run IDs (UUID v4) and Argo-style name suffixes.
#include <string>

namespace kfrun::base {

// "3f2a9c1e-0b4d-4c7e-9a1f-2d3c4b5a6e7f", from the system's random source.
std::string random_uuid();
// `length` characters of [a-z0-9], as Argo appends to generateName.
std::string random_suffix(std::size_t length);

}  // namespace kfrun::base
