#pragma once
// CacheKey: the named, versioned record a step's cache entry is found by — the image's content
// identity (its Id, never the tag), command, args, env, working dir, input parameter values,
// input artifact content digests, declared outputs, volume mounts, GPUs, init containers and
// sidecars — written canonically, one tagged field per line, and hashed with SHA-256.
// Changing the format means bumping k_cache_key_version (the known-answer tests fail first).
// A Secret's value is never in the record, for any container: only a digest (PodJob's
// ContainerKey). Version 2: init containers' and sidecars' env from their ContainerKey (version 1
// wrote their Secret values in plain text) and their mounts.
#include <string>
#include <vector>

#include "engine/pod_job.hpp"

namespace kfrun::engine {

inline constexpr int k_cache_key_version = 2;

struct CacheKey {
    std::string text;    // the canonical record
    std::string digest;  // SHA-256 of `text`, hex
};

// Needs job.spec.image_id (and the aux containers' ids) resolved.
CacheKey compute_cache_key(const PodJob& job);

// The fields that differ between two key records, as "field: old → new" lines (for --explain).
std::vector<std::string> explain_key_difference(const std::string& previous,
                                                const std::string& current);

}  // namespace kfrun::engine
