#pragma once
// ExpectationLoader: the `expect:` section of a test case (status, step phase and exit code,
// outputs, artifacts, metrics, ui-metadata, logs, steps, cache), with file:line:col errors.
#include <yaml-cpp/yaml.h>

#include "base/result.hpp"
#include "harness/test_file.hpp"
#include "harness/yaml_places.hpp"

namespace kfrun::harness {

class ExpectationLoader {
public:
    explicit ExpectationLoader(const YamlPlaces& places) : m_places(places) {}

    // `single_step`: a component or a task (step keys at the top); else a whole pipeline
    // (step keys under `steps:`, `metrics`/`logs` over the whole run).
    base::Result<CaseExpectation> load(const YAML::Node& node, bool single_step) const;

private:
    base::Result<void> load_step_keys(const YAML::Node& node, StepExpectation& step) const;
    base::Result<std::vector<ValueCheck>> load_values(const YAML::Node& node,
                                                      bool artifacts) const;
    base::Result<ValueCheck> load_value(const YAML::Node& key, const YAML::Node& node,
                                        bool artifacts) const;
    base::Result<std::vector<MetricCheck>> load_metrics(const YAML::Node& node) const;
    base::Result<LogCheck> load_logs(const YAML::Node& node) const;

    const YamlPlaces& m_places;
};

}  // namespace kfrun::harness
