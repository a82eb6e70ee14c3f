#pragma once
// Limits: the named bounds that keep a hostile or broken pipeline from costing the host
// (memory, disk, stack). Each has a default generous for real pipelines; the command line
// overrides them (`--limit NAME=VALUE`). Set once at start-up, before any thread runs; read
// everywhere through `limits()`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace kfrun::base {

struct Limits {
    std::uint64_t yaml_bytes = 64ull << 20;  // one YAML/JSON input file
    std::uint64_t yaml_nodes = 1'000'000;    // YAML nodes after alias expansion
    std::uint64_t json_depth = 512;          // nesting of JSON from steps and parameters
    std::uint64_t loop_items = 10'000;       // withItems/withParam/withSequence items
    std::uint64_t run_nodes = 50'000;        // nodes (steps, groups, iterations) per run
    std::uint64_t output_parameter_bytes = 16ull << 20;  // one output parameter file
    std::uint64_t step_output_bytes = 64ull << 30;       // all declared outputs of one step
    std::uint64_t step_output_files = 1'000'000;         // files in one step's outputs
    std::uint64_t step_log_bytes = 64ull << 20;          // log bytes kept per step
    std::uint64_t package_bytes = 64ull << 20;           // decompressed pipeline in a .tar.gz/.zip
};

// One row of the limits table: its name (as `--limit` spells it), whether it is a size
// (accepts KiB/MiB/GiB) and what it bounds.
struct LimitInfo {
    std::string_view name;
    bool is_size;
    std::string_view bounds;
    std::uint64_t Limits::*field;
};
const std::vector<LimitInfo>& limit_table();

const Limits& limits();
// Replaces the limits in effect; only before threads start (tests restore the old value).
void set_limits(const Limits& value);
// Applies "NAME=VALUE" (VALUE: an integer, sizes also 10KiB, 5MiB, 2GiB, 1TiB, 16M, 1G).
Result<void> apply_limit(Limits& target, std::string_view assignment);
// "16 MiB" for sizes, the plain number otherwise.
std::string limit_value_text(const LimitInfo& info, std::uint64_t value);
// The tail every limit error ends with: "(limit NAME=VALUE; raise it with --limit NAME=...)".
std::string limit_hint(std::string_view name);

// Keeps the named limits for the life of the object, then puts the old ones back (tests).
class ScopedLimits {
  public:
    explicit ScopedLimits(const Limits& value) : m_old(limits()) { set_limits(value); }
    ~ScopedLimits() { set_limits(m_old); }
    ScopedLimits(const ScopedLimits&) = delete;
    ScopedLimits& operator=(const ScopedLimits&) = delete;

  private:
    Limits m_old;
};

}  // namespace kfrun::base
