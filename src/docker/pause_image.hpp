#pragma once
// The pause image: the root filesystem of a run's network sandbox container (NetworkMode Pod).
// It holds one static program, /pause, built from pause/pause.c and embedded into kfrun at
// build time, so the image is imported locally (POST /images/create?fromSrc=-) and never pulled.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::docker {

// The bytes of the static pause program and their SHA-256 (generated at build time).
std::string_view pause_program_bytes();
std::string_view pause_program_digest();

// "kfrun/pause:<kfrun version>-<first 12 hex of the program digest>": a rebuilt program gets a
// new tag, so an old image is never mistaken for the current one.
std::string default_pause_image();

// A tar (made with libarchive, in memory) holding /pause (mode 0755) and empty /dev, /proc,
// /sys and /etc directories.
base::Result<std::string> pause_image_tar();

// Dockerfile instructions applied on import.
inline constexpr std::string_view k_pause_entrypoint = R"(ENTRYPOINT ["/pause"])";

}  // namespace kfrun::docker
