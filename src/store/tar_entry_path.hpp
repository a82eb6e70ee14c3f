#pragma once
// TarEntryPath: a tar member name split into its top-level component and the rest.
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::store {

struct TarEntryPath {
    std::string top;       // first component; empty for "./" itself
    std::string relative;  // the rest, '/'-joined; empty for the top-level entry

    // Drops "." and empty components (so "./name//a/" is "name/a"); rejects absolute names
    // and ".." components.
    static base::Result<TarEntryPath> parse(std::string_view name);
};

}  // namespace kfrun::store
