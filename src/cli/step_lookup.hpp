#pragma once
// Finding one step of a run's report by what a user types: its node ID, its label
// ("for-loop-1(0:a)/train"), its name ("train", which loop iterations share), or the last part
// of its label. Shared by `kfrun inspect` and `kfrun shell`.
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace kfrun::cli {

// The report's step entry. An exact ID or label match wins; otherwise the name or last label
// part must match exactly one step. Input errors: none matches (the message lists the run's
// steps) or several do (it lists them, by label and ID, to pick one).
base::Result<nlohmann::json> find_report_step(const nlohmann::json& report,
                                              const std::string& wanted);

}  // namespace kfrun::cli
