#include "harness/expectation_loader.hpp"

#include <re2/re2.h>

#include "harness/metric_condition.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::harness {

using base::Result;

namespace {

const std::vector<std::string> k_step_keys = {"phase",   "exit-code",   "outputs", "artifacts",
                                              "metrics", "ui-metadata", "logs"};
const std::vector<std::string> k_phases = {"Succeeded", "Failed", "Error", "Skipped", "Omitted"};

bool one_of(const std::string& value, const std::vector<std::string>& values) {
    for (const std::string& known : values) {
        if (known == value) {
            return true;
        }
    }
    return false;
}

}  // namespace

bool CaseExpectation::expects_outcome() const {
    if (status || single.phase || single.exit_code) {
        return true;
    }
    for (const StepExpectation& step : steps) {
        if (step.phase || step.exit_code) {
            return true;
        }
    }
    return false;
}

Result<CaseExpectation> ExpectationLoader::load(const YAML::Node& node, bool single_step) const {
    CaseExpectation expect;
    if (!node || node.IsNull()) {
        return expect;
    }
    std::vector<std::string> keys = {"status", "metrics", "logs", "cache"};
    if (single_step) {
        keys.insert(keys.end(), k_step_keys.begin(), k_step_keys.end());
    } else {
        keys.push_back("steps");
    }
    if (node.IsMap() && !single_step) {
        for (const auto& entry : node) {
            const std::string key = entry.first.Scalar();
            if (one_of(key, k_step_keys) && key != "metrics" && key != "logs") {
                return m_places.error(entry.first,
                                      "`" + key + "` belongs to a step: in a pipeline case, put it "
                                      "under `steps: {STEP: {" + key + ": ...}}` (or test one task "
                                      "with `task:`)");
            }
        }
    }
    if (node.IsMap() && single_step && node["steps"]) {
        return m_places.error(node["steps"], "`steps` is for whole-pipeline suites; this case has "
                                             "one step, so its expectations go directly under "
                                             "`expect`");
    }
    KFRUN_TRY(m_places.check_keys(node, keys, "`expect`"));
    if (YAML::Node status = node["status"]) {
        auto text = m_places.scalar(status, "`status`");
        KFRUN_TRY(text);
        if (!one_of(*text, {"Succeeded", "Failed", "Error"})) {
            return m_places.error(status, "`status` must be Succeeded, Failed or Error");
        }
        expect.status = *text;
        expect.status_where = m_places.where(status);
    }
    if (YAML::Node cache = node["cache"]) {
        auto text = m_places.scalar(cache, "`cache`");
        KFRUN_TRY(text);
        if (*text != "second-run-hits") {
            return m_places.error(cache, "`cache` takes `second-run-hits` (run the case twice; "
                                         "the second run must take every step from the cache)");
        }
        expect.second_run_hits = true;
        expect.cache_where = m_places.where(cache);
    }
    if (single_step) {
        expect.single.where = m_places.where(node);
        KFRUN_TRY(load_step_keys(node, expect.single));
        return expect;
    }
    if (YAML::Node metrics = node["metrics"]) {
        auto loaded = load_metrics(metrics);
        KFRUN_TRY(loaded);
        expect.run_metrics = std::move(loaded.value());
    }
    if (YAML::Node logs = node["logs"]) {
        auto loaded = load_logs(logs);
        KFRUN_TRY(loaded);
        expect.run_logs = std::move(loaded.value());
    }
    if (YAML::Node steps = node["steps"]) {
        if (!steps.IsMap()) {
            return m_places.error(steps, "`steps` must be a mapping STEP: {phase, outputs, ...}");
        }
        for (const auto& entry : steps) {
            StepExpectation step;
            step.step = entry.first.Scalar();
            step.where = m_places.where(entry.first);
            if (!entry.second.IsMap()) {
                return m_places.error(entry.second, "step `" + step.step + "` needs a mapping of "
                                                    "expectations (phase, outputs, ...)");
            }
            KFRUN_TRY(m_places.check_keys(entry.second, k_step_keys,
                                          "the expectations of step `" + step.step + "`"));
            KFRUN_TRY(load_step_keys(entry.second, step));
            expect.steps.push_back(std::move(step));
        }
    }
    return expect;
}

Result<void> ExpectationLoader::load_step_keys(const YAML::Node& node,
                                               StepExpectation& step) const {
    if (YAML::Node phase = node["phase"]) {
        auto text = m_places.scalar(phase, "`phase`");
        KFRUN_TRY(text);
        if (!one_of(*text, k_phases)) {
            return m_places.error(phase, "`phase` must be Succeeded, Failed, Error, Skipped or "
                                         "Omitted");
        }
        step.phase = *text;
        step.phase_where = m_places.where(phase);
    }
    if (YAML::Node code = node["exit-code"]) {
        auto number = m_places.number(code, "`exit-code`");
        KFRUN_TRY(number);
        // A container's exit status is a byte; anything else (1e105, 1.5, -1) is no exit code.
        if (!(*number >= 0 && *number <= 255) ||
            *number != static_cast<double>(static_cast<int>(*number))) {
            return m_places.error(code, "`exit-code` must be a whole number from 0 to 255");
        }
        step.exit_code = static_cast<int>(*number);
        step.exit_code_where = m_places.where(code);
    }
    if (YAML::Node outputs = node["outputs"]) {
        auto loaded = load_values(outputs, false);
        KFRUN_TRY(loaded);
        step.outputs = std::move(loaded.value());
    }
    if (YAML::Node artifacts = node["artifacts"]) {
        auto loaded = load_values(artifacts, true);
        KFRUN_TRY(loaded);
        step.artifacts = std::move(loaded.value());
    }
    if (YAML::Node metrics = node["metrics"]) {
        auto loaded = load_metrics(metrics);
        KFRUN_TRY(loaded);
        step.metrics = std::move(loaded.value());
    }
    if (YAML::Node ui = node["ui-metadata"]) {
        auto types = m_places.strings(ui, "`ui-metadata` (viewer types)");
        KFRUN_TRY(types);
        step.ui_metadata = std::move(types.value());
        step.ui_metadata_where = m_places.where(ui);
    }
    if (YAML::Node logs = node["logs"]) {
        auto loaded = load_logs(logs);
        KFRUN_TRY(loaded);
        step.logs = std::move(loaded.value());
    }
    return base::ok();
}

Result<std::vector<ValueCheck>> ExpectationLoader::load_values(const YAML::Node& node,
                                                               bool artifacts) const {
    const char* section = artifacts ? "`artifacts`" : "`outputs`";
    if (!node.IsMap()) {
        return m_places.error(node, std::string(section) + " must be a mapping NAME: checks");
    }
    std::vector<ValueCheck> out;
    for (const auto& entry : node) {
        auto check = load_value(entry.first, entry.second, artifacts);
        KFRUN_TRY(check);
        out.push_back(std::move(check.value()));
    }
    return out;
}

Result<ValueCheck> ExpectationLoader::load_value(const YAML::Node& key, const YAML::Node& node,
                                                 bool artifacts) const {
    ValueCheck check;
    check.name = key.Scalar();
    check.where = m_places.where(node.IsNull() ? key : node);
    if (!artifacts && (node.IsScalar() || node.IsNull())) {
        check.equals = node.IsNull() ? "" : node.Scalar();  // shorthand for `equals`
        return check;
    }
    std::vector<std::string> keys =
        artifacts ? std::vector<std::string>{"exists", "equals", "regex", "contains", "json",
                                             "json-path", "golden"}
                  : std::vector<std::string>{"equals", "regex", "contains", "json", "json-path",
                                             "number", "tolerance"};
    KFRUN_TRY(m_places.check_keys(node, keys, (artifacts ? "artifact `" : "output `") +
                                                  check.name + "`"));
    if (node.size() == 0) {
        return m_places.error(node, "no checks for `" + check.name + "`");
    }
    if (YAML::Node exists = node["exists"]) {
        nlohmann::json value = model::yaml_to_json(exists);
        if (!value.is_boolean()) {
            return m_places.error(exists, "`exists` must be true or false");
        }
        check.exists = value.get<bool>();
    }
    if (YAML::Node equals = node["equals"]) {
        check.equals = YamlPlaces::value_text(equals);
    }
    if (YAML::Node regex = node["regex"]) {
        auto text = m_places.scalar(regex, "`regex`");
        KFRUN_TRY(text);
        RE2::Options options;
        options.set_log_errors(false);
        RE2 compiled(*text, options);
        if (!compiled.ok()) {
            return m_places.error(
                regex,
                "`regex` is not a valid regular expression (RE2 syntax): " + compiled.error());
        }
        check.regex = *text;
    }
    if (YAML::Node contains = node["contains"]) {
        auto texts = m_places.strings(contains, "`contains`");
        KFRUN_TRY(texts);
        check.contains = std::move(texts.value());
    }
    if (YAML::Node json = node["json"]) {
        check.json = model::yaml_to_json(json);
    }
    if (YAML::Node paths = node["json-path"]) {
        if (!paths.IsMap()) {
            return m_places.error(paths, "`json-path` must be a mapping PATH: VALUE, e.g. "
                                         "{\"$.metrics[0].name\": accuracy}");
        }
        for (const auto& entry : paths) {
            check.json_paths.emplace_back(entry.first.Scalar(), model::yaml_to_json(entry.second));
        }
    }
    if (YAML::Node number = node["number"]) {
        auto value = m_places.number(number, "`number`");
        KFRUN_TRY(value);
        check.number = *value;
    }
    if (YAML::Node tolerance = node["tolerance"]) {
        if (!check.number) {
            return m_places.error(tolerance, "`tolerance` goes with `number`");
        }
        auto value = m_places.number(tolerance, "`tolerance`");
        KFRUN_TRY(value);
        check.tolerance = *value;
    }
    if (YAML::Node golden = node["golden"]) {
        auto text = m_places.scalar(golden, "`golden`");
        KFRUN_TRY(text);
        check.golden_text = *text;
        auto golden_path = m_places.resolve_in_project(golden, *text, "`golden`");
        KFRUN_TRY(golden_path);
        check.golden = std::move(*golden_path);
    }
    return check;
}

Result<std::vector<MetricCheck>> ExpectationLoader::load_metrics(const YAML::Node& node) const {
    auto texts = m_places.strings(node, "`metrics` (conditions such as \"accuracy >= 0.9\")");
    KFRUN_TRY(texts);
    std::vector<MetricCheck> out;
    std::size_t index = 0;
    for (const std::string& text : *texts) {
        const YAML::Node item = node.IsSequence() ? node[index] : node;
        ++index;
        auto condition = parse_metric_condition(text);
        if (!condition.ok()) {
            return m_places.error(item, condition.error().message);
        }
        condition->where = m_places.where(item);
        out.push_back(std::move(condition.value()));
    }
    return out;
}

Result<LogCheck> ExpectationLoader::load_logs(const YAML::Node& node) const {
    LogCheck check;
    check.where = m_places.where(node);
    if (node.IsScalar() || node.IsSequence()) {
        auto texts = m_places.strings(node, "`logs`");
        KFRUN_TRY(texts);
        check.contains = std::move(texts.value());
        return check;
    }
    KFRUN_TRY(m_places.check_keys(node, {"contains", "not-contains"}, "`logs`"));
    if (YAML::Node contains = node["contains"]) {
        auto texts = m_places.strings(contains, "`logs.contains`");
        KFRUN_TRY(texts);
        check.contains = std::move(texts.value());
    }
    if (YAML::Node absent = node["not-contains"]) {
        auto texts = m_places.strings(absent, "`logs.not-contains`");
        KFRUN_TRY(texts);
        check.not_contains = std::move(texts.value());
    }
    return check;
}

}  // namespace kfrun::harness
