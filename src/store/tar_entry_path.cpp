#include "store/tar_entry_path.hpp"

#include "store/store_error.hpp"

namespace kfrun::store {

base::Result<TarEntryPath> TarEntryPath::parse(std::string_view name) {
    const std::string where = "tar entry " + std::string(name);
    if (name.empty()) {
        return input_error(where, "empty name");
    }
    if (name.front() == '/') {
        return input_error(where, "absolute name");
    }
    TarEntryPath path;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t slash = name.find('/', start);
        if (slash == std::string_view::npos) {
            slash = name.size();
        }
        std::string_view part = name.substr(start, slash - start);
        start = slash + 1;
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == "..") {
            return input_error(where, "'..' component");
        }
        if (path.top.empty()) {
            path.top = part;
        } else {
            if (!path.relative.empty()) {
                path.relative += '/';
            }
            path.relative += part;
        }
    }
    return path;
}

}  // namespace kfrun::store
