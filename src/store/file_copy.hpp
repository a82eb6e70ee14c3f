#pragma once
// copy_file_contents: copies a blob into a new file in the kernel where possible
// (copy_file_range, then sendfile), falling back to read/write.
// copy_verified: copies a blob and checks its digest in the same pass.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace kfrun::store {

// Copies exactly `size` bytes from the start of `in` to `out`; fails if `in` is shorter.
base::Result<void> copy_file_contents(int in, int out, std::uint64_t size,
                                      const std::string& where);

enum class BlobCheck { Intact, Damaged };

// Copies the blob `in` (expected: `size` bytes hashing to `digest`) to `out`, checking it while
// the bytes are read anyway: a reflink (FICLONE) where the filesystem shares extents, then
// one read of the source to hash it; else read → hash → write, one pass. Damaged (the wrong
// size, or another digest): `out` then holds garbage and the caller removes it.
base::Result<BlobCheck> copy_verified(int in, int out, std::uint64_t size, std::string_view digest,
                                      const std::string& where);

// Reads `fd` to its end and compares size and SHA-256 with the expected ones.
base::Result<BlobCheck> check_blob(int fd, std::uint64_t size, std::string_view digest,
                                   const std::string& where);

}  // namespace kfrun::store
