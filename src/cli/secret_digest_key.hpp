#pragma once
// The cache directory's secret digest key: 32 random bytes (64 hex characters) in
// <cache dir>/secret-digest.key, mode 0600, made on first use. Cache keys hold a Secret's value
// only as HMAC-SHA-256 under this key (engine::RunOptions::secret_digest_key), so the RocksDB
// index — which CI jobs may share and copy around — does not let its reader test guesses of a
// secret offline. Runs that share the cache directory share the key, so their keys still match.
#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace kfrun::cli {

inline constexpr const char* k_secret_digest_key_file = "secret-digest.key";

// Reads the key; when there is none, makes one. Two processes making it at once agree (the
// second finds the first's). A key file that is a link, not a regular file, or not 64 hex
// characters is an error naming it.
base::Result<std::string> load_or_create_secret_digest_key(const std::filesystem::path& cache_dir);

}  // namespace kfrun::cli
