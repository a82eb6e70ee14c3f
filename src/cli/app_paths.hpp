#pragma once
// AppPaths: where kfrun keeps its state, following the XDG base directories.
#include <filesystem>
#include <string>

namespace kfrun::cli {

struct AppPaths {
    std::filesystem::path data_dir;   // $XDG_DATA_HOME/kfrun (~/.local/share/kfrun): runs, store
    std::filesystem::path cache_dir;  // $XDG_CACHE_HOME/kfrun (~/.cache/kfrun): the step cache

    // Defaults from the environment, overridden by non-empty flags.
    static AppPaths resolve(const std::string& data_dir_flag, const std::string& cache_dir_flag);

    std::filesystem::path runs_dir() const { return data_dir / "runs"; }
    std::filesystem::path store_dir() const { return data_dir / "store"; }
    // The owner lock files of the runs in progress (store/owner_lock.hpp).
    std::filesystem::path owners_dir() const { return data_dir / "owners"; }
    std::filesystem::path scratch_dir(const std::string& run_id) const {
        return data_dir / "scratch" / run_id;
    }
};

}  // namespace kfrun::cli
