#pragma once
// The test-file model: a suite names its subject (a component spec, or a compiled pipeline and
// maybe one task of it) and its cases — inputs in, expectations out. Every element keeps its
// place ("file:line:col") so a failed check or a malformed file can point at it.
// The format is documented in docs/testing.md.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace kfrun::harness {

// An input of a component or task case: a value, or a file (or directory) of the repository.
struct InputArgument {
    std::optional<std::string> value;
    std::filesystem::path file;  // absolute (resolved against the test file's folder)
    std::string where;
};

// Checks on one output value or output artifact; every check given must hold.
struct ValueCheck {
    std::string name;
    std::string where;
    std::optional<bool> exists;          // artifacts
    std::optional<std::string> equals;   // one trailing newline of the actual value is ignored
    std::optional<std::string> regex;    // ECMAScript, searched (anchor with ^ and $)
    std::vector<std::string> contains;
    std::optional<nlohmann::json> json;  // a JSON subset of the actual value
    std::vector<std::pair<std::string, nlohmann::json>> json_paths;  // "$.a.b[0]" → value
    std::optional<double> number;
    double tolerance = 0.0;
    std::filesystem::path golden;  // artifacts: byte-for-byte equal to this file
    std::string golden_text;       // as written in the test file
};

// "accuracy >= 0.9": every metric of that name must satisfy it (and one must exist).
struct MetricCheck {
    std::string name;
    std::string op;  // >=, >, <=, <, ==, !=
    double value = 0.0;
    std::string text;
    std::string where;
};

struct LogCheck {
    std::vector<std::string> contains;
    std::vector<std::string> not_contains;
    std::string where;
};

struct StepExpectation {
    std::string step;  // a step's name or label; empty: the case's only step
    std::string where;
    std::optional<std::string> phase;
    std::string phase_where;
    std::optional<int> exit_code;
    std::string exit_code_where;
    std::vector<ValueCheck> outputs;
    std::vector<ValueCheck> artifacts;
    std::vector<MetricCheck> metrics;
    std::vector<std::string> ui_metadata;  // viewer types that must be present
    std::string ui_metadata_where;
    std::optional<LogCheck> logs;

    bool empty() const {
        return !phase && !exit_code && outputs.empty() && artifacts.empty() && metrics.empty() &&
               ui_metadata.empty() && !logs;
    }
};

struct CaseExpectation {
    std::optional<std::string> status;  // the run's: Succeeded, Failed, Error
    std::string status_where;
    StepExpectation single;               // component and task suites: their one step
    std::vector<StepExpectation> steps;   // pipeline suites
    std::vector<MetricCheck> run_metrics;  // pipeline suites: the run's metrics, any step
    std::optional<LogCheck> run_logs;      // pipeline suites: every step's log
    bool second_run_hits = false;          // run twice; the second run takes every step from cache
    std::string cache_where;

    // `status: Succeeded` is implied unless a status, phase or exit code is expected.
    bool expects_outcome() const;
};

struct TestCase {
    std::string name;
    std::string where;
    std::map<std::string, InputArgument> inputs;    // components and tasks
    std::map<std::string, std::string> parameters;  // whole pipelines
    std::vector<std::pair<std::string, std::string>> image_map;  // PATTERN → IMAGE
    std::string timeout;
    CaseExpectation expect;
};

struct TestSuite {
    enum class Subject { Component, Pipeline };
    std::filesystem::path file;  // the test file
    std::string name;
    Subject subject = Subject::Component;
    std::filesystem::path subject_file;  // absolute
    std::string subject_where;
    std::string task;  // pipelines: run only this task's template
    std::vector<std::pair<std::string, std::string>> image_map;  // PATTERN → IMAGE
    std::vector<std::filesystem::path> image_map_files;
    std::vector<TestCase> cases;

    // A component, or one task of a pipeline: a run with one step.
    bool single_step() const { return subject == Subject::Component || !task.empty(); }
    // "suite/case", what -k matches and reports name.
    std::string case_id(const TestCase& test_case) const { return name + "/" + test_case.name; }
};

}  // namespace kfrun::harness
