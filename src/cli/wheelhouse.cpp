#include "cli/wheelhouse.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/sha256.hpp"

namespace kfrun::cli {

namespace {

constexpr std::size_t k_max_entries = 100000;

base::Error wheelhouse_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Input, message, "--wheelhouse");
}

}  // namespace

base::Result<Wheelhouse> wheelhouse_folder(const std::string& value) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path real = fs::canonical(fs::absolute(value, ec), ec);
    if (ec) {
        return wheelhouse_error("no such folder: " + value);
    }
    if (!fs::is_directory(real, ec)) {
        return wheelhouse_error(value + " is not a folder (give a folder of .whl files)");
    }
    std::vector<std::string> lines;
    for (fs::directory_iterator it(real, ec), end; !ec && it != end; it.increment(ec)) {
        if (lines.size() >= k_max_entries) {
            return wheelhouse_error(value + " holds more than 100000 files");
        }
        std::error_code size_ec;
        if (!it->is_regular_file(size_ec)) {
            continue;
        }
        std::string name = it->path().filename().string();
        lines.push_back(name + "\t" + std::to_string(it->file_size(size_ec)) + "\n");
    }
    if (ec) {
        return wheelhouse_error("cannot list " + value + ": " + ec.message());
    }
    std::sort(lines.begin(), lines.end());
    std::string listing;
    for (const std::string& line : lines) {
        listing += line;
    }
    return Wheelhouse{real.string(), base::sha256_hex(listing)};
}

}  // namespace kfrun::cli
