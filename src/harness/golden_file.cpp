#include "harness/golden_file.hpp"

#include <unistd.h>

#include <fstream>
#include <functional>
#include <thread>

namespace kfrun::harness {

base::Result<void> write_golden(const GoldenUpdate& update) {
    std::error_code ec;
    std::filesystem::create_directories(update.path.parent_path(), ec);
    std::filesystem::path temporary = update.path;
    temporary += ".tmp." + std::to_string(getpid()) + "." +
                 std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << update.bytes;
        out.flush();
        if (!out) {
            return base::make_error(base::ErrorKind::Io, "cannot write the golden file",
                                    temporary.string());
        }
    }
    std::filesystem::rename(temporary, update.path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        return base::make_error(base::ErrorKind::Io, "cannot rename into place: " + ec.message(),
                                update.path.string());
    }
    return base::ok();
}

}  // namespace kfrun::harness
