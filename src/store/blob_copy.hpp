#pragma once
// copy_blob: a blob's bytes into a new file, checked against their digest as they are copied.
// A damaged blob (edited or truncated on disk) is removed from the store, so the next ingest
// of the same bytes writes it again and a cache hit on it becomes a miss.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "store/blob_layout.hpp"

namespace kfrun::store {

// Copies blob `digest` (`size` bytes) into `out`. Damaged: an Io error that names the blob and
// says it was removed; `out` then holds garbage and the caller removes it.
base::Result<void> copy_blob(const BlobLayout& layout, std::string_view digest, std::uint64_t size,
                             int out, const std::string& where);

// Removes blob `digest` if it is still the file `fd` was opened on (a concurrent ingest may
// have replaced it with good bytes meanwhile).
void discard_blob(const BlobLayout& layout, std::string_view digest, int fd);

// The message of a damaged blob.
std::string damaged_blob_message(std::string_view digest);

}  // namespace kfrun::store
