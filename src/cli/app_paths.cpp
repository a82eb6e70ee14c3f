#include "cli/app_paths.hpp"

#include <cstdlib>

namespace kfrun::cli {

namespace {

std::filesystem::path home_dir() {
    const char* home = std::getenv("HOME");
    return home != nullptr && *home != '\0' ? std::filesystem::path(home)
                                            : std::filesystem::path("/root");
}

std::filesystem::path from_env(const char* variable, const std::filesystem::path& fallback) {
    const char* value = std::getenv(variable);
    if (value != nullptr && *value == '/') {
        return value;
    }
    return fallback;
}

}  // namespace

AppPaths AppPaths::resolve(const std::string& data_dir_flag, const std::string& cache_dir_flag) {
    AppPaths paths;
    paths.data_dir = data_dir_flag.empty()
                         ? from_env("XDG_DATA_HOME", home_dir() / ".local" / "share") / "kfrun"
                         : std::filesystem::absolute(data_dir_flag);
    paths.cache_dir = cache_dir_flag.empty()
                          ? from_env("XDG_CACHE_HOME", home_dir() / ".cache") / "kfrun"
                          : std::filesystem::absolute(cache_dir_flag);
    return paths;
}

}  // namespace kfrun::cli
