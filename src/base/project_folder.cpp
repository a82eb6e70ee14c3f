#include "base/project_folder.hpp"

#include <system_error>

namespace kfrun::base {

bool is_inside(const std::filesystem::path& path, const std::filesystem::path& folder) {
    std::error_code ec;
    std::filesystem::path real = std::filesystem::weakly_canonical(path, ec);
    if (ec) {
        return false;
    }
    std::filesystem::path root = std::filesystem::weakly_canonical(folder, ec);
    if (ec) {
        return false;
    }
    auto p = real.begin();
    for (const auto& part : root) {
        if (part.empty()) {
            continue;
        }
        if (p == real.end() || *p != part) {
            return false;
        }
        ++p;
    }
    return true;
}

std::filesystem::path project_root(const std::filesystem::path& file) {
    std::error_code ec;
    std::filesystem::path folder = std::filesystem::weakly_canonical(file, ec).parent_path();
    for (std::filesystem::path at = folder; !at.empty(); at = at.parent_path()) {
        if (std::filesystem::exists(at / ".git", ec)) {
            return at;
        }
        if (at == at.root_path()) {
            break;
        }
    }
    return folder;
}

}  // namespace kfrun::base
