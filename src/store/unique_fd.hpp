#pragma once
// UniqueFd lives in base (the report and CLI modules open files the same careful way).
#include "base/unique_fd.hpp"

namespace kfrun::store {

using base::UniqueFd;

}  // namespace kfrun::store
