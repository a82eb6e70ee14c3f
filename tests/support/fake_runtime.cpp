#include "support/fake_runtime.hpp"

#include <fstream>
#include <memory>
#include <stdexcept>

#include "base/sha256.hpp"

namespace kfrun::test_support {

using engine::StepEnd;

namespace {

constexpr std::size_t k_stdout_tail_bytes = 256 * 1024 + 1;  // the runtime contract
constexpr std::size_t k_log_tail_lines = 64;

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) {
            lines.push_back(text.substr(pos));
            break;
        }
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    return lines;
}

std::string without_trailing_slash(std::string path) {
    while (path.size() > 1 && path.back() == '/') {
        path.pop_back();
    }
    return path;
}

}  // namespace

FakeBehaviour in_turn(std::vector<FakeStep> steps) {
    auto calls = std::make_shared<std::atomic<std::size_t>>(0);
    return [steps = std::move(steps), calls](const engine::StepSpec&) {
        std::size_t n = calls->fetch_add(1);
        return steps.empty() ? FakeStep() : steps[std::min(n, steps.size() - 1)];
    };
}

FakeRuntime::FakeRuntime(engine::ArtifactStore& store) : m_store(store) {}

void FakeRuntime::on(const std::string& name, FakeStep step) {
    on(name, FakeBehaviour([step](const engine::StepSpec&) { return step; }));
}

void FakeRuntime::on(const std::string& name, FakeBehaviour behaviour) {
    std::lock_guard lock(m_mutex);
    m_rules[name] = std::move(behaviour);
}

void FakeRuntime::otherwise(FakeBehaviour behaviour) {
    std::lock_guard lock(m_mutex);
    m_default = std::move(behaviour);
}

void FakeRuntime::fail_image(const std::string& reference, std::string message) {
    std::lock_guard lock(m_mutex);
    m_failing_images[reference] = std::move(message);
}

std::string FakeRuntime::image_id_for(const std::string& reference) {
    return "sha256:" + base::sha256_hex(reference);
}

std::string FakeRuntime::base_name(const std::string& display_name) {
    std::size_t paren = display_name.find('(');
    return paren == std::string::npos ? display_name : display_name.substr(0, paren);
}

base::Result<engine::ImageInfo> FakeRuntime::resolve_image(const std::string& reference,
                                                           engine::PullPolicy,
                                                           const engine::PullListener&) {
    std::lock_guard lock(m_mutex);
    m_images.push_back(reference);
    if (auto it = m_failing_images.find(reference); it != m_failing_images.end()) {
        return base::make_error(base::ErrorKind::Docker, it->second, "fake pull " + reference);
    }
    engine::ImageInfo info;
    info.reference = reference;
    info.id = image_id_for(reference);
    return info;
}

base::Result<void> FakeRuntime::begin_run(const engine::RunContext&) {
    ++m_begin_runs;
    return base::ok();
}

base::Result<void> FakeRuntime::end_run() {
    ++m_end_runs;
    return base::ok();
}

base::Result<void> FakeRuntime::create_volume(const std::string& name,
                                              const std::map<std::string, std::string>& labels) {
    std::lock_guard lock(m_mutex);
    m_volume_calls.push_back("create " + name);
    m_volumes.emplace(name, labels);  // an existing volume keeps its labels, as Docker's does
    return base::ok();
}

base::Result<void> FakeRuntime::remove_volume(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_volume_calls.push_back("remove " + name);
    m_volumes.erase(name);
    return base::ok();
}

base::Result<void> FakeRuntime::copy_volume(const std::string& from, const std::string& to) {
    std::lock_guard lock(m_mutex);
    m_volume_calls.push_back("copy " + from + " " + to);
    m_volumes.emplace(to, std::map<std::string, std::string>());
    return base::ok();
}

base::Result<std::optional<std::map<std::string, std::string>>> FakeRuntime::volume_labels(
    const std::string& name) {
    std::lock_guard lock(m_mutex);
    auto it = m_volumes.find(name);
    if (it == m_volumes.end()) {
        return std::optional<std::map<std::string, std::string>>();
    }
    return std::optional<std::map<std::string, std::string>>(it->second);
}

void FakeRuntime::add_volume(const std::string& name, std::map<std::string, std::string> labels) {
    std::lock_guard lock(m_mutex);
    m_volumes[name] = std::move(labels);
}

FakeStep FakeRuntime::behaviour_for(const engine::StepSpec& spec) const {
    FakeBehaviour behaviour;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_rules.find(spec.display_name);
        if (it == m_rules.end()) {
            it = m_rules.find(base_name(spec.display_name));
        }
        if (it != m_rules.end()) {
            behaviour = it->second;
        } else {
            behaviour = m_default;
        }
    }
    return behaviour ? behaviour(spec) : FakeStep();
}

base::Result<engine::StepOutcome> FakeRuntime::run_step(const engine::StepSpec& spec,
                                                        engine::StepObserver& observer,
                                                        const engine::CancelToken& cancel) {
    FakeStep step = behaviour_for(spec);
    std::size_t index = 0;
    {
        std::lock_guard lock(m_mutex);
        index = m_steps.size();
        m_steps.push_back(RecordedStep{spec, std::chrono::steady_clock::now(), {}, {}});
        // Docker makes a missing named volume on first use, with the mount's labels.
        for (const engine::VolumeMount& mount : spec.mounts) {
            if (mount.type == engine::VolumeMount::Type::Volume) {
                m_volumes.emplace(mount.source, mount.labels);
            }
        }
    }
    int running = ++m_running;
    for (int seen = m_max_running.load(); running > seen;) {
        if (m_max_running.compare_exchange_weak(seen, running)) {
            break;
        }
    }
    engine::StepOutcome outcome;
    outcome.container_id = "fake-" + spec.container_name;
    auto now = std::chrono::steady_clock::now();
    if (step.runtime_error) {
        --m_running;
        std::lock_guard lock(m_mutex);
        m_steps[index].finished = std::chrono::steady_clock::now();
        return *step.runtime_error;
    }
    if (cancel.cancelled()) {
        outcome.end = StepEnd::Cancelled;
        outcome.message = "cancelled before the container was created: " + cancel.reason();
    } else if (spec.deadline && now >= *spec.deadline) {
        outcome.end = StepEnd::DeadlineExceeded;
        outcome.message = "the deadline passed before the container was created";
    } else if (step.start_failure) {
        outcome.end = StepEnd::StartFailed;
        outcome.exit_code = 127;
        outcome.message = *step.start_failure;
    } else {
        observer.on_started(outcome.container_id);
        std::vector<std::string> log;
        for (const std::string& line : lines_of(step.stdout_text)) {
            observer.on_log_line(engine::LogStream::Stdout, line);
            log.push_back(line);
        }
        for (const std::string& line : step.stderr_lines) {
            observer.on_log_line(engine::LogStream::Stderr, line);
            log.push_back(line);
        }
        auto until = now + step.sleep;
        bool cut_by_deadline = spec.deadline && *spec.deadline < until;
        if (cut_by_deadline) {
            until = *spec.deadline;
        }
        bool cancelled = cancel.wait_until(until);
        if (cancelled) {
            outcome.end = StepEnd::Cancelled;
            outcome.exit_code = 137;
            outcome.message = "cancelled: " + cancel.reason();
        } else if (cut_by_deadline) {
            outcome.end = StepEnd::DeadlineExceeded;
            outcome.exit_code = 137;
            outcome.message = "the step ran past its deadline and was killed";
        } else {
            outcome.end = StepEnd::Exited;
            outcome.exit_code = step.exit_code;
            outcome.oom_killed = step.oom_killed;
            if (step.oom_killed) {
                outcome.message = "the container ran out of memory (OOMKilled)";
            }
        }
        const std::string& text = step.stdout_text;
        outcome.stdout_tail = text.size() > k_stdout_tail_bytes
                                  ? text.substr(text.size() - k_stdout_tail_bytes)
                                  : text;
        std::size_t first = log.size() > k_log_tail_lines ? log.size() - k_log_tail_lines : 0;
        for (std::size_t i = first; i < log.size(); ++i) {
            outcome.log_tail += log[i] + "\n";
        }
        if (outcome.end == StepEnd::Exited || outcome.end == StepEnd::DeadlineExceeded) {
            outcome.outputs = collect(spec, step);
        }
    }
    --m_running;
    std::lock_guard lock(m_mutex);
    m_steps[index].finished = std::chrono::steady_clock::now();
    m_steps[index].end = outcome.end;
    return outcome;
}

std::vector<engine::CollectedOutput> FakeRuntime::collect(const engine::StepSpec& spec,
                                                          const FakeStep& step) {
    std::vector<engine::CollectedOutput> outputs;
    for (const std::string& path : spec.output_paths) {
        outputs.push_back(collect_one(path, step));
    }
    return outputs;
}

engine::CollectedOutput FakeRuntime::collect_one(const std::string& path, const FakeStep& step) {
    engine::CollectedOutput output{path, std::nullopt, {}};
    std::string key = without_trailing_slash(path);
    if (auto it = step.unreadable.find(key); it != step.unreadable.end()) {
        output.problem = it->second;
        return output;
    }
    if (auto it = step.files.find(key); it != step.files.end()) {
        auto stored = m_store.ingest_bytes(it->second);
        if (stored.ok()) {
            output.artifact = *stored;
        } else {
            output.problem = stored.error().to_string();
        }
        return output;
    }
    std::string prefix = key + "/";
    auto under = [&prefix](const std::string& candidate) {
        return candidate.compare(0, prefix.size(), prefix) == 0;
    };
    bool is_dir = step.dirs.count(key) != 0;
    for (const auto& [file, content] : step.files) {
        is_dir = is_dir || under(file);
    }
    for (const std::string& dir : step.dirs) {
        is_dir = is_dir || under(dir);
    }
    if (!is_dir) {
        return output;  // the path does not exist: no artifact, no problem
    }
    std::filesystem::path root =
        m_scratch.make_subdir("out") / std::filesystem::path(key).filename();
    std::filesystem::create_directories(root);
    for (const std::string& dir : step.dirs) {
        if (under(dir)) {
            std::filesystem::create_directories(root / dir.substr(prefix.size()));
        }
    }
    for (const auto& [file, content] : step.files) {
        if (under(file)) {
            std::filesystem::path target = root / file.substr(prefix.size());
            std::filesystem::create_directories(target.parent_path());
            std::ofstream(target, std::ios::binary) << content;
        }
    }
    auto stored = m_store.ingest_path(root);
    if (stored.ok()) {
        output.artifact = *stored;
    } else {
        output.problem = stored.error().to_string();
    }
    return output;
}

std::vector<RecordedStep> FakeRuntime::steps() const {
    std::lock_guard lock(m_mutex);
    return m_steps;
}

std::vector<std::string> FakeRuntime::step_names() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> names;
    for (const RecordedStep& step : m_steps) {
        names.push_back(step.spec.display_name);
    }
    return names;
}

engine::StepSpec FakeRuntime::spec(const std::string& display_name) const {
    std::lock_guard lock(m_mutex);
    for (const RecordedStep& step : m_steps) {
        if (step.spec.display_name == display_name) {
            return step.spec;
        }
    }
    std::string known;
    for (const RecordedStep& step : m_steps) {
        known += " '" + step.spec.display_name + "'";
    }
    throw std::runtime_error("the fake runtime ran no step named '" + display_name +
                             "'; it ran:" + known);
}

int FakeRuntime::count(const std::string& name) const {
    std::lock_guard lock(m_mutex);
    int n = 0;
    for (const RecordedStep& step : m_steps) {
        n += (step.spec.display_name == name || base_name(step.spec.display_name) == name) ? 1 : 0;
    }
    return n;
}

std::vector<std::string> FakeRuntime::resolved_images() const {
    std::lock_guard lock(m_mutex);
    return m_images;
}

std::vector<std::string> FakeRuntime::volume_calls() const {
    std::lock_guard lock(m_mutex);
    return m_volume_calls;
}

}  // namespace kfrun::test_support
