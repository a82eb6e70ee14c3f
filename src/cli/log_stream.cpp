#include "cli/log_stream.hpp"

#include <cstdio>

#include "base/names.hpp"
#include "base/private_files.hpp"

namespace kfrun::cli {

std::string step_log_file_name(const std::string& node_id) {
    return base::plain_file_name(node_id) + ".log";
}

base::Result<void> prepare_run_dir(const std::filesystem::path& run_dir) {
    auto dir = base::open_private_directory(run_dir);
    KFRUN_TRY(dir);
    auto logs = base::open_subdirectory(dir->get(), "logs", (run_dir / "logs").string());
    KFRUN_TRY(logs);
    return base::ok();
}

std::unique_ptr<std::ofstream> open_log_stream(const std::filesystem::path& path,
                                               std::string* problem) {
    auto fd = base::open_for_append(path);
    if (!fd) {
        if (problem != nullptr) {
            *problem = fd.error().to_string();
        }
        return nullptr;
    }
    // The stream opens the very file just checked, through its descriptor: no second lookup
    // of the name that a link swapped in meanwhile could redirect.
    char self[64];
    std::snprintf(self, sizeof self, "/proc/self/fd/%d", fd->get());
    auto stream = std::make_unique<std::ofstream>(self, std::ios::app | std::ios::binary);
    if (!*stream) {
        if (problem != nullptr) {
            *problem = path.string() + ": cannot open";
        }
        return nullptr;
    }
    return stream;
}

}  // namespace kfrun::cli
