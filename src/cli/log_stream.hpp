#pragma once
// The run folder and its log files, opened the careful way (base/private_files.hpp): a folder
// or file that is a symbolic link, or a log that is not a plain file of its own, is refused
// with an error, never written through.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "base/result.hpp"

namespace kfrun::cli {

// Creates the run folder (0700 when new) and its logs/ folder; a link at either is refused.
base::Result<void> prepare_run_dir(const std::filesystem::path& run_dir);

// The name of a step's log file in logs/: "<node id>.log", or "sha256-<hex>.log" when the id is
// no plain file name (a path, or past 200 characters: a 253-character workflow name made
// "File name too long" and lost the log). The writers and `kfrun logs` agree through this.
std::string step_log_file_name(const std::string& node_id);

// `path` opened for appending (O_APPEND | O_CREAT | O_NOFOLLOW, 0600 when new; a link, a
// non-regular file or one with other hard links is refused) as a stream. Null when refused;
// `problem` (when given) then says why.
std::unique_ptr<std::ofstream> open_log_stream(const std::filesystem::path& path,
                                               std::string* problem = nullptr);

}  // namespace kfrun::cli
