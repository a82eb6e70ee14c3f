#pragma once
// copy_file_contents: copies a blob into a new file in the kernel where possible
// (copy_file_range, then sendfile), falling back to read/write.
#include <cstdint>
#include <string>

#include "base/result.hpp"

namespace kfrun::store {

// Copies exactly `size` bytes from the start of `in` to `out`; fails if `in` is shorter.
base::Result<void> copy_file_contents(int in, int out, std::uint64_t size,
                                      const std::string& where);

}  // namespace kfrun::store
