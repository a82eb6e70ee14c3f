#pragma once
// EngineHarness: load a workflow from inline YAML, validate it, and run it through
// engine::Executor with a FakeRuntime and a FileArtifactStore in a temp dir.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/diagnostic.hpp"
#include "engine/executor.hpp"
#include "engine/run_options.hpp"
#include "engine/run_state.hpp"
#include "model/workflow.hpp"
#include "store/file_artifact_store.hpp"
#include "support/counting_store.hpp"
#include "support/fake_runtime.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::test_support {

// The run ID and workflow name every harness run uses unless a test changes them.
inline constexpr const char* k_run_id = "4c0e2d5a-7f7b-4a53-9a55-6a7d0d1c2e3f";
inline constexpr const char* k_workflow = "wf";

struct RunResult {
    engine::RunState state;
    nlohmann::json report;
    std::optional<base::Error> prepare_error;  // set when Executor::prepare refused the run
    std::vector<std::string> warnings;         // RunObserver::on_warning

    const engine::Node* find(const std::string& node_name) const;
    // The node named `node_name` ("wf.a", "wf.loop(0:x)"); throws, listing the nodes, if absent.
    const engine::Node& node(const std::string& node_name) const;
    engine::NodePhase phase(const std::string& node_name) const { return node(node_name).phase; }
    // An output parameter of a node; throws if absent.
    std::string output(const std::string& node_name, const std::string& parameter) const;
    std::vector<const engine::Node*> children(const std::string& node_name) const;
    // "wf=Failed, wf.a=Succeeded, ..." for failure messages.
    std::string describe() const;
};

class EngineHarness {
  public:
    EngineHarness();
    ~EngineHarness();

    FakeRuntime& runtime() { return *m_runtime; }
    store::FileArtifactStore& store() { return *m_store; }
    engine::RunOptions& options() { return m_options; }
    // Runs with this step cache (none by default); it must outlive the runs.
    void set_cache(engine::StepCache* cache) { m_cache = cache; }

    // Loads the YAML; a load error fails the test and throws.
    model::Workflow load(const std::string& yaml);
    std::vector<engine::Diagnostic> validate(const std::string& yaml);
    // Loads, validates (any validation error fails the test) and runs.
    RunResult run(const std::string& yaml);
    // Validates (any validation error fails the test) and runs a workflow built in the test
    // (e.g. KFP v2 launcher templates, which no YAML front end of the harness makes).
    RunResult run_model(const model::Workflow& workflow, bool validate = true);
    // Loads and runs without validating first.
    RunResult run_unchecked(const std::string& yaml);
    // RunOptions::dry_run with no runtime; `writes` receives the number of store writes.
    RunResult run_dry(const std::string& yaml, int* writes = nullptr);
    // Cancels the run in progress (thread-safe; e.g. from a FakeStep behaviour).
    void cancel(const std::string& reason);

    // The bytes of a stored file artifact.
    std::string read(const engine::ArtifactRef& artifact);
    // The content of the input a step had placed at `container_path`; throws if none.
    std::string input_text(const engine::StepSpec& spec, const std::string& container_path);

  private:
    RunResult execute(const model::Workflow& workflow, engine::ContainerRuntime* runtime,
                      engine::ArtifactStore& store, bool dry_run);

    TempDir m_dir{"kfrun-engine-test"};
    std::unique_ptr<store::FileArtifactStore> m_store;
    std::unique_ptr<FakeRuntime> m_runtime;
    engine::RunOptions m_options;
    engine::StepCache* m_cache = nullptr;
    // The running executor, for cancel() from another thread: set and cleared under the mutex,
    // so a cancel never reaches an executor that run() has already destroyed.
    std::mutex m_executor_mutex;
    engine::Executor* m_executor = nullptr;
};

// Text of diagnostics, one per line, for failure messages.
std::string describe(const std::vector<engine::Diagnostic>& diagnostics);

}  // namespace kfrun::test_support
