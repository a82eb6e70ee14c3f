#pragma once
// The project a file came with, and whether a path stays in it: files kfrun finds by itself (a
// `.kfrun.yaml` above the working folder, `kfrun test` files under a folder) may name only files
// of their own project, so a cloned repository cannot make kfrun read or write host files.
// Reads the filesystem (it resolves links and looks for `.git`).
#include <filesystem>

namespace kfrun::base {

// The nearest folder at or above `file`'s own that holds `.git` (the repository it came with),
// else `file`'s folder; links resolved.
std::filesystem::path project_root(const std::filesystem::path& file);

// True when `path`, its links resolved (as far as it exists), is `folder` or inside it.
bool is_inside(const std::filesystem::path& path, const std::filesystem::path& folder);

}  // namespace kfrun::base
