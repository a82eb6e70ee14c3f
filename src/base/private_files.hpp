#pragma once
// Files kfrun writes into folders that others may have prepared (a run's report folder, the
// data and cache folders): never through a symbolic link, never under a guessable temp name,
// and with private modes whatever the umask. Every function here does I/O.
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/unique_fd.hpp"

namespace kfrun::base {

inline constexpr unsigned k_private_file_mode = 0600;
inline constexpr unsigned k_private_directory_mode = 0700;

// Creates `dir` and its missing parents, each new one 0700 whatever the umask. An existing
// `dir` must be a directory, not a symbolic link (links above it are the user's path and are
// followed). Existing folders keep their mode.
Result<void> create_private_directories(const std::filesystem::path& dir);

// create_private_directories, then opens `dir` with O_DIRECTORY | O_NOFOLLOW.
Result<UniqueFd> open_private_directory(const std::filesystem::path& dir);

// The directory `name` (one component) inside `parent_fd`, created 0700 when missing, never
// reached through a link.
Result<UniqueFd> open_subdirectory(int parent_fd, const std::string& name,
                                   const std::string& where);

// ".<name>.tmp-<12 random characters>": a temp name nobody can guess and pre-create.
std::string random_temp_name(std::string_view name);

// Writes `content` to a new file with a random name in `dir_fd` (O_CREAT | O_EXCL |
// O_NOFOLLOW, then fchmod `mode`) and renames it over `name`: a link already at `name` is
// replaced, never followed. On failure the temp file is removed.
Result<void> write_file_at(int dir_fd, const std::string& name, std::string_view content,
                           unsigned mode, const std::string& where);
// The same for a path; its folder is opened with open_private_directory.
Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                   unsigned mode = k_private_file_mode);

// Opens `name` in `dir_fd` for appending (O_APPEND | O_CREAT | O_NOFOLLOW, created 0600).
// Refuses a symbolic link, anything but a regular file, and a file with other hard links.
Result<UniqueFd> open_append_at(int dir_fd, const std::string& name, const std::string& where);
// The same for a path; its folder is opened with open_private_directory.
Result<UniqueFd> open_for_append(const std::filesystem::path& path);

// chmod 0700 of an existing directory of kfrun's own (data, cache, store, history) that an
// older version created 0755, when this user owns it. Not followed through a link; errors
// are ignored (the folder stays as it was).
void tighten_directory(const std::filesystem::path& dir);

// Removes `name` in `dir_fd` and, for a directory, everything below it, without following a
// link. ENOENT is success.
Result<void> remove_tree_at(int dir_fd, const std::string& name, const std::string& where);

// Writes all of `bytes` to `fd`, retrying on EINTR and short writes; false with errno set.
bool write_all(int fd, std::string_view bytes);

}  // namespace kfrun::base
