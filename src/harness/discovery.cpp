#include "harness/discovery.hpp"

#include <algorithm>

namespace kfrun::harness {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_test_file_name(const std::string& file_name) {
    for (const char* extension : {".yaml", ".yml"}) {
        if (file_name == std::string("kfrun-test") + extension ||
            (ends_with(file_name, std::string(".kfrun-test") + extension) &&
             file_name.size() > std::string(".kfrun-test").size() + std::string(extension).size())) {
            return true;
        }
    }
    return false;
}

std::string default_suite_name(const std::filesystem::path& file) {
    std::string stem = file.filename().string();
    for (const char* suffix : {".kfrun-test.yaml", ".kfrun-test.yml", ".yaml", ".yml"}) {
        if (stem.size() > std::string(suffix).size() && ends_with(stem, suffix)) {
            stem.resize(stem.size() - std::string(suffix).size());
            break;
        }
    }
    if (stem == "kfrun-test") {
        stem = std::filesystem::absolute(file).lexically_normal().parent_path().filename().string();
    }
    return stem;
}

base::Result<std::vector<std::filesystem::path>> discover_test_files(
    const std::vector<std::filesystem::path>& paths) {
    std::vector<std::filesystem::path> found;
    for (const std::filesystem::path& path : paths) {
        std::error_code ec;
        if (std::filesystem::is_regular_file(path, ec)) {
            found.push_back(path.lexically_normal());
            continue;
        }
        if (!std::filesystem::is_directory(path, ec)) {
            return base::make_error(base::ErrorKind::Input, "no such file or folder",
                                    path.string());
        }
        auto options = std::filesystem::directory_options::skip_permission_denied;
        std::filesystem::recursive_directory_iterator it(path, options, ec);
        if (ec) {
            return base::make_error(base::ErrorKind::Io, "cannot list the folder: " + ec.message(),
                                    path.string());
        }
        for (auto end = std::filesystem::recursive_directory_iterator(); it != end;
             it.increment(ec)) {
            if (ec) {
                break;
            }
            const std::string name = it->path().filename().string();
            if (it->is_directory(ec)) {
                if (name.size() > 1 && name.front() == '.') {
                    it.disable_recursion_pending();
                }
                continue;
            }
            if (is_test_file_name(name) && it->is_regular_file(ec)) {
                found.push_back(it->path().lexically_normal());
            }
        }
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    return found;
}

}  // namespace kfrun::harness
