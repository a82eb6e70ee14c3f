#pragma once
// FakeRuntime: an engine::ContainerRuntime that runs nothing. Each step behaves as the test
// says (exit code, stdout, files written, a sleep, a start failure, OOM); written files go
// into the ArtifactStore exactly as the Docker runtime would collect them. Every StepSpec is
// recorded, with start/end times and the peak number of steps running at once.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "engine/artifact_store.hpp"
#include "engine/container_runtime.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::test_support {

using Millis = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

// What one step does. Chainable: FakeStep().exit(3).file("/tmp/out", "x\n").
struct FakeStep {
    int exit_code = 0;
    std::string stdout_text;
    std::vector<std::string> stderr_lines;
    std::map<std::string, std::string> files;       // container path → content, written at start
    std::set<std::string> dirs;                     // (empty) directories it creates
    std::map<std::string, std::string> unreadable;  // path → why it exists but cannot be read
    std::optional<std::string> start_failure;       // the container cannot start (message)
    std::optional<base::Error> runtime_error;       // run_step itself fails (Docker refused a call)
    Millis sleep{0};                                // runs this long (deadline/cancel cut it short)
    bool oom_killed = false;

    FakeStep& exit(int code) {
        exit_code = code;
        return *this;
    }
    FakeStep& out(std::string text) {
        stdout_text = std::move(text);
        return *this;
    }
    FakeStep& err(std::string line) {
        stderr_lines.push_back(std::move(line));
        return *this;
    }
    FakeStep& file(std::string path, std::string content) {
        files[std::move(path)] = std::move(content);
        return *this;
    }
    FakeStep& dir(std::string path) {
        dirs.insert(std::move(path));
        return *this;
    }
    FakeStep& runs_for(Millis duration) {
        sleep = duration;
        return *this;
    }
    FakeStep& cannot_start(std::string message) {
        start_failure = std::move(message);
        return *this;
    }
    FakeStep& oom() {
        oom_killed = true;
        exit_code = 137;
        return *this;
    }
};

using FakeBehaviour = std::function<FakeStep(const engine::StepSpec&)>;

// A behaviour that returns steps[n] on its n-th call (the last one again after the end).
FakeBehaviour in_turn(std::vector<FakeStep> steps);

// One run_step call as the fake saw it.
struct RecordedStep {
    engine::StepSpec spec;
    SteadyTime started{};
    SteadyTime finished{};
    engine::StepEnd end = engine::StepEnd::Exited;
};

class FakeRuntime : public engine::ContainerRuntime {
  public:
    explicit FakeRuntime(engine::ArtifactStore& store);

    // Behaviour for the step whose display name is `name`, or whose display name is `name`
    // followed by "(...)" (loop iterations "name(0:a)", retry attempts "name(1)").
    void on(const std::string& name, FakeStep step);
    void on(const std::string& name, FakeBehaviour behaviour);
    // For steps no `on` rule names (default: exit 0, no output).
    void otherwise(FakeBehaviour behaviour);
    // resolve_image fails for this reference.
    void fail_image(const std::string& reference, std::string message);
    // What gpus_available() answers (default: no GPUs, like most laptops).
    void set_gpus_available(bool available) { m_gpus = available; }

    // ContainerRuntime
    base::Result<engine::ImageInfo> resolve_image(const std::string& reference,
                                                  engine::PullPolicy policy,
                                                  const engine::PullListener& on_progress) override;
    base::Result<void> begin_run(const engine::RunContext& context) override;
    base::Result<engine::StepOutcome> run_step(const engine::StepSpec& spec,
                                               engine::StepObserver& observer,
                                               const engine::CancelToken& cancel) override;
    base::Result<void> end_run() override;
    base::Result<void> create_volume(const std::string& name,
                                     const std::map<std::string, std::string>& labels) override;
    base::Result<void> remove_volume(const std::string& name) override;
    base::Result<void> copy_volume(const std::string& from, const std::string& to) override;
    base::Result<std::optional<std::map<std::string, std::string>>> volume_labels(
        const std::string& name) override;
    base::Result<bool> gpus_available() override { return m_gpus.load(); }
    // A volume that is on the "daemon" before the run, with these labels (none: someone
    // else's). create_volume, copy_volume and remove_volume keep this state too.
    void add_volume(const std::string& name, std::map<std::string, std::string> labels = {});

    // What happened (thread-safe).
    std::vector<RecordedStep> steps() const;
    std::vector<std::string> step_names() const;                   // display names, in start order
    engine::StepSpec spec(const std::string& display_name) const;  // throws if absent
    int count(const std::string& name) const;  // steps matching `name` as in on()
    int max_concurrent() const { return m_max_running.load(); }
    int begin_runs() const { return m_begin_runs.load(); }
    int end_runs() const { return m_end_runs.load(); }
    std::vector<std::string> resolved_images() const;
    // "create NAME", "remove NAME", "copy FROM TO", in call order.
    std::vector<std::string> volume_calls() const;

    // "sha256:<hex of the reference>": the Id the fake gives an image.
    static std::string image_id_for(const std::string& reference);
    // The name `on` rules match: the display name without a trailing "(...)" part.
    static std::string base_name(const std::string& display_name);

  private:
    FakeStep behaviour_for(const engine::StepSpec& spec) const;
    std::vector<engine::CollectedOutput> collect(const engine::StepSpec& spec,
                                                 const FakeStep& step);
    engine::CollectedOutput collect_one(const std::string& path, const FakeStep& step);

    engine::ArtifactStore& m_store;
    TempDir m_scratch{"kfrun-fake-runtime"};
    mutable std::mutex m_mutex;
    std::map<std::string, FakeBehaviour> m_rules;
    FakeBehaviour m_default;
    std::map<std::string, std::string> m_failing_images;
    std::vector<RecordedStep> m_steps;
    std::vector<std::string> m_images;
    std::vector<std::string> m_volume_calls;
    std::map<std::string, std::map<std::string, std::string>> m_volumes;
    std::atomic<bool> m_gpus{false};
    std::atomic<int> m_running{0};
    std::atomic<int> m_max_running{0};
    std::atomic<int> m_begin_runs{0};
    std::atomic<int> m_end_runs{0};
};

}  // namespace kfrun::test_support
