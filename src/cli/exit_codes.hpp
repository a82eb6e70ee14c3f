#pragma once
// kfrun's exit codes.

namespace kfrun::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_run_failed = 1;     // the pipeline ran and a step failed
inline constexpr int k_exit_bad_input = 2;      // bad pipeline, parameter or flag; nothing ran
inline constexpr int k_exit_environment = 3;    // Docker unreachable, store unwritable, ...
inline constexpr int k_exit_interrupted = 130;  // Ctrl-C

}  // namespace kfrun::cli
