#pragma once
// Blob garbage collection: removes the blobs of the artifact store that nothing refers to.
//
// Roots are given as text: every 64-lower-case-hex run in a cache entry's value or a kept run's
// report counts as a reference (collect_digests), so an entry of another format version, or a
// report field this code does not know, still keeps its blobs. A referenced blob that is a
// directory's tree manifest keeps every file blob it lists. Blobs modified after
// `keep_newer_than` are kept whatever refers to them: a run in progress may have stored them
// and not recorded them yet. Stale temp files of killed ingests (tmp/) older than
// `temp_older_than` go too.
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/time.hpp"

namespace kfrun::store {

// Adds every run of exactly 64 lower-case hex characters in `text` to `digests`.
void collect_digests(std::string_view text, std::set<std::string>& digests);

struct BlobGcOptions {
    bool dry_run = false;
    base::SystemTime keep_newer_than{};  // blobs modified after this stay
    base::SystemTime temp_older_than{};  // tmp/ files modified before this go
};

struct BlobGcResult {
    std::size_t blobs_removed = 0;
    std::uint64_t bytes_removed = 0;
    std::size_t blobs_kept = 0;
    std::uint64_t bytes_kept = 0;
    std::size_t temp_removed = 0;
    std::uint64_t temp_bytes_removed = 0;
};

// `roots` plus every file blob that the tree manifests among them (transitively) list.
std::set<std::string> reachable_blobs(const std::filesystem::path& store_root,
                                      const std::set<std::string>& roots);

// Removes (or, dry run, counts) the blobs under `store_root` not in reachable_blobs(roots).
base::Result<BlobGcResult> collect_blobs(const std::filesystem::path& store_root,
                                         const std::set<std::string>& roots,
                                         const BlobGcOptions& options);

}  // namespace kfrun::store
