#pragma once
// --wheelhouse DIR: a folder of Python wheels that every step sees read-only, so the pip
// install a KFP v2 lightweight component starts with works with no package index.
#include <string>

#include "base/result.hpp"

namespace kfrun::cli {

struct Wheelhouse {
    std::string path;    // absolute, symbolic links resolved
    std::string digest;  // SHA-256 of its files' names and sizes: part of every cache key
};

// Checks the folder (it must exist and be a directory) and digests its listing. Input errors
// name --wheelhouse.
base::Result<Wheelhouse> wheelhouse_folder(const std::string& value);

}  // namespace kfrun::cli
