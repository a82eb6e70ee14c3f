#include "support/engine_harness.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "argo/workflow_loader.hpp"
#include "engine/report.hpp"
#include "engine/validator.hpp"

namespace kfrun::test_support {

namespace {

// More nodes than any test pipeline makes: the engine is looping.
constexpr int k_runaway_nodes = 20000;

class RecordingObserver : public engine::RunObserver {
  public:
    void on_warning(const std::string& message) override { warnings.push_back(message); }
    void on_node_finished(const engine::RunState& state, const engine::Node&) override {
        if (++m_finished > k_runaway_nodes) {
            // Stop before the machine runs out of memory; the test binary cannot go on.
            std::fprintf(stderr,
                         "\nFATAL: the run finished more than %d nodes (it has %zu): the engine "
                         "is looping. Aborting the test program.\n",
                         k_runaway_nodes, state.size());
            std::abort();
        }
    }
    std::vector<std::string> warnings;

  private:
    int m_finished = 0;
};

}  // namespace

std::string describe(const std::vector<engine::Diagnostic>& diagnostics) {
    std::string text;
    for (const engine::Diagnostic& diagnostic : diagnostics) {
        const char* severity = diagnostic.severity == engine::Diagnostic::Severity::Error ? "error"
                               : diagnostic.severity == engine::Diagnostic::Severity::Warning
                                   ? "warning"
                                   : "info";
        text += diagnostic.where + ": " + severity + ": " + diagnostic.message + "\n";
    }
    return text;
}

const engine::Node* RunResult::find(const std::string& node_name) const {
    engine::NodeIndex index = state.find(node_name);
    return index == engine::k_no_node ? nullptr : &state.node(index);
}

const engine::Node& RunResult::node(const std::string& node_name) const {
    if (const engine::Node* found = find(node_name)) {
        return *found;
    }
    throw std::runtime_error("no node named '" + node_name + "'; the run has: " + describe());
}

std::string RunResult::output(const std::string& node_name, const std::string& parameter) const {
    const engine::Node& found = node(node_name);
    if (const std::string* value = found.outputs.parameter(parameter)) {
        return *value;
    }
    throw std::runtime_error("node '" + node_name + "' has no output parameter '" + parameter +
                             "'");
}

std::vector<const engine::Node*> RunResult::children(const std::string& node_name) const {
    std::vector<const engine::Node*> out;
    for (engine::NodeIndex child : node(node_name).children) {
        out.push_back(&state.node(child));
    }
    return out;
}

std::string RunResult::describe() const {
    std::string text;
    for (const engine::Node& each : state.nodes()) {
        text += (text.empty() ? "" : ", ") + each.name + "=" + engine::to_string(each.phase);
        if (!each.message.empty()) {
            text += " (" + each.message + ")";
        }
    }
    return text;
}

EngineHarness::EngineHarness() {
    auto opened = store::FileArtifactStore::open(m_dir.path() / "store");
    if (!opened.ok()) {
        throw std::runtime_error("cannot open a store: " + opened.error().to_string());
    }
    m_store = std::move(opened.value());
    m_runtime = std::make_unique<FakeRuntime>(*m_store);
    m_options.run_id = k_run_id;
    m_options.workflow_name = k_workflow;
    m_options.parallelism = 4;
    m_options.scratch_dir = m_dir.path() / "scratch";
}

EngineHarness::~EngineHarness() = default;

model::Workflow EngineHarness::load(const std::string& yaml) {
    auto loaded = argo::load_workflow_text(yaml, "inline.yaml");
    if (!loaded.ok()) {
        ADD_FAILURE() << "the test's workflow does not load: " << loaded.error().to_string();
        throw std::runtime_error("workflow did not load: " + loaded.error().to_string());
    }
    return std::move(loaded.value());
}

std::vector<engine::Diagnostic> EngineHarness::validate(const std::string& yaml) {
    return engine::validate_workflow(load(yaml));
}

RunResult EngineHarness::run(const std::string& yaml) {
    model::Workflow workflow = load(yaml);
    auto diagnostics = engine::validate_workflow(workflow);
    if (engine::has_errors(diagnostics)) {
        ADD_FAILURE() << "the test's workflow does not validate:\n" << describe(diagnostics);
    }
    return execute(workflow, m_runtime.get(), *m_store, false);
}

RunResult EngineHarness::run_model(const model::Workflow& workflow, bool validate) {
    auto diagnostics = engine::validate_workflow(workflow);
    if (validate && engine::has_errors(diagnostics)) {
        ADD_FAILURE() << "the test's workflow does not validate:\n" << describe(diagnostics);
    }
    return execute(workflow, m_runtime.get(), *m_store, false);
}

RunResult EngineHarness::run_unchecked(const std::string& yaml) {
    model::Workflow workflow = load(yaml);
    return execute(workflow, m_runtime.get(), *m_store, false);
}

RunResult EngineHarness::run_dry(const std::string& yaml, int* writes) {
    model::Workflow workflow = load(yaml);
    CountingStore counting(*m_store);
    RunResult result = execute(workflow, nullptr, counting, true);
    if (writes != nullptr) {
        *writes = counting.writes();
    }
    return result;
}

void EngineHarness::cancel(const std::string& reason) {
    std::lock_guard lock(m_executor_mutex);
    if (m_executor != nullptr) {
        m_executor->cancel(reason);
    }
}

RunResult EngineHarness::execute(const model::Workflow& workflow, engine::ContainerRuntime* runtime,
                                 engine::ArtifactStore& store, bool dry_run) {
    RunResult result;
    RecordingObserver observer;
    engine::RunOptions options = m_options;
    options.dry_run = dry_run;
    engine::Executor executor(workflow, options, runtime, store, observer,
                              dry_run ? nullptr : m_cache);
    auto prepared = executor.prepare();
    if (!prepared.ok()) {
        result.prepare_error = prepared.error();
        return result;
    }
    {
        std::lock_guard lock(m_executor_mutex);
        m_executor = &executor;
    }
    result.state = executor.run();
    {
        std::lock_guard lock(m_executor_mutex);
        m_executor = nullptr;
    }
    engine::ReportContext context;
    context.pipeline_file = "inline.yaml";
    context.pipeline_name = workflow.display_name.empty() ? workflow.name : workflow.display_name;
    context.kfrun_version = "test";
    context.dry_run = dry_run;
    result.report = engine::build_report(result.state, context);
    result.warnings = observer.warnings;
    return result;
}

std::string EngineHarness::read(const engine::ArtifactRef& artifact) {
    auto text = m_store->read_text(artifact, std::size_t{64} << 20);
    if (!text.ok()) {
        throw std::runtime_error("cannot read artifact " + artifact.digest + ": " +
                                 text.error().to_string());
    }
    return std::move(text.value());
}

std::string EngineHarness::input_text(const engine::StepSpec& spec,
                                      const std::string& container_path) {
    for (const engine::InputPlacement& input : spec.inputs) {
        if (input.container_path == container_path) {
            return read(input.artifact);
        }
    }
    throw std::runtime_error("step '" + spec.display_name + "' has no input at " + container_path);
}

}  // namespace kfrun::test_support
