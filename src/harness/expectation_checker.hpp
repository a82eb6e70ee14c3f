#pragma once
// The expectation checks of a case, as pure functions over what its run left: the report JSON,
// a way to read output artifacts (the artifact store), and the steps' logs. Nothing here runs
// containers; the CLI runs the case and hands the evidence over.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/artifact_store.hpp"
#include "harness/check_result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::harness {

struct CaseEvidence {
    nlohmann::json report;                        // report.json of the run
    std::optional<nlohmann::json> second_report;  // of the second run (`cache: second-run-hits`)
    engine::ArtifactStore* store = nullptr;       // reads output artifacts by digest
    std::function<std::string(const nlohmann::json& step)> log_text;  // a step's log
    // Component suites: the component's output names → the report's artifact/parameter name.
    std::map<std::string, std::string> output_names;
};

struct CheckOptions {
    bool update_golden = false;  // a differing or missing golden file is rewritten, not failed
};

std::vector<CheckResult> check_case(const TestSuite& suite, const TestCase& test_case,
                                    const CaseEvidence& evidence, const CheckOptions& options);

}  // namespace kfrun::harness
