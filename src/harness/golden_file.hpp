#pragma once
// Golden files: `kfrun test --update-golden` writes the actual artifact's bytes over them
// (temp file, then rename; missing folders are created).
#include "base/result.hpp"
#include "harness/check_result.hpp"

namespace kfrun::harness {

base::Result<void> write_golden(const GoldenUpdate& update);

}  // namespace kfrun::harness
