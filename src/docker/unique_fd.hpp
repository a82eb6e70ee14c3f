#pragma once
// UniqueFd lives in base (the store, report and CLI modules open files the same careful way).
#include "base/unique_fd.hpp"

namespace kfrun::docker {

using base::UniqueFd;

}  // namespace kfrun::docker
