#pragma once
// TestSubject: what a suite tests, loaded once and shared by its cases — a component spec, or a
// validated compiled pipeline — and, per case, the workflow that case runs with its inputs.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "component/component_spec.hpp"
#include "harness/test_file.hpp"
#include "model/workflow.hpp"

namespace kfrun::cli {

struct TestSubject {
    std::optional<component::ComponentSpec> component;
    std::optional<model::Workflow> pipeline;
};

// The workflow one case runs.
struct CaseWorkflow {
    model::Workflow workflow;
    // Input artifacts given as files: artifact name → host path.
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    // Whole pipelines: the run's parameters.
    std::vector<std::pair<std::string, std::string>> parameters;
    // Components: output name → the report's artifact name.
    std::map<std::string, std::string> output_names;
};

// An Input error (with the test file's place of `component:`/`pipeline:`) when the subject is
// missing, malformed or fails validation.
base::Result<TestSubject> load_test_subject(const harness::TestSuite& suite);

base::Result<CaseWorkflow> build_case_workflow(const TestSubject& subject,
                                               const harness::TestSuite& suite,
                                               const harness::TestCase& test_case);

}  // namespace kfrun::cli
