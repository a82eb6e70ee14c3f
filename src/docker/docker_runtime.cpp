#include "docker/docker_runtime.hpp"

#include "base/strings.hpp"
#include "docker/image_reference.hpp"
#include "docker/overlay_view.hpp"
#include "docker/pause_container.hpp"
#include "docker/pause_image.hpp"
#include "docker/step_run.hpp"

namespace kfrun::docker {
namespace {

using Clock = std::chrono::steady_clock;

std::string image_map_hint(const std::string& reference) {
    return "Build it locally or map it to a local image with --image-map '" + reference + "=IMAGE'";
}

base::Error image_error(const base::Error& cause, std::string message) {
    return base::make_error(base::ErrorKind::Docker, std::move(message), cause.where);
}

std::map<std::string, std::string> run_labels(const engine::RunContext& context,
                                              std::string_view role) {
    std::map<std::string, std::string> labels = context.labels;
    labels[k_run_label] = context.run_id;
    labels[k_role_label] = std::string(role);
    return labels;
}

}  // namespace

base::Result<std::unique_ptr<DockerRuntime>> DockerRuntime::open(DockerRuntimeConfig config,
                                                                 engine::ArtifactStore& store) {
    auto client = DockerClient::connect(config.docker);
    if (!client.ok()) {
        return client.error();
    }
    return std::make_unique<DockerRuntime>(std::move(*client), std::move(config), store);
}

DockerRuntime::DockerRuntime(DockerClient client, DockerRuntimeConfig config,
                             engine::ArtifactStore& store)
    : m_client(std::move(client)), m_config(std::move(config)), m_store(store) {
    if (m_config.pause_image.empty()) {
        m_config.pause_image = default_pause_image();
    }
    m_layer_reads = m_config.read_outputs_from_layers && OverlayView::kernel_allows_layer_reads();
}

DockerRuntime::~DockerRuntime() = default;

base::Result<engine::ImageInfo> DockerRuntime::resolve_image(
    const std::string& reference, engine::PullPolicy policy,
    const engine::PullListener& on_progress) {
    const std::string name = with_default_tag(reference);
    engine::ImageInfo info;
    info.reference = reference;
    const auto pull = [&]() -> base::Result<void> {
        const auto started = Clock::now();
        auto pulled = m_puller.pull(name, reference, on_progress);
        info.pull_time = std::chrono::duration_cast<Millis>(Clock::now() - started);
        info.pulled = pulled.result.ok();
        info.warnings = std::move(pulled.warnings);
        return pulled.result;
    };
    auto details = m_client.inspect_image(name);
    if (!details.ok()) {
        return details.error();
    }
    if (policy == engine::PullPolicy::Always) {
        if (auto pulled = pull(); !pulled.ok()) {
            return image_error(pulled.error(),
                               "image " + reference + " could not be pulled (" +
                                   pulled.error().message + ") and the pull policy is Always" +
                                   (details->has_value() ? " (a local copy exists; use the "
                                                           "pull policy Missing to run it)"
                                                         : ". " + image_map_hint(reference)));
        }
        details = m_client.inspect_image(name);
    } else if (!details->has_value()) {
        if (policy == engine::PullPolicy::Never) {
            return base::make_error(base::ErrorKind::Docker,
                                    "image " + reference +
                                        " is not present locally and the pull policy is Never. " +
                                        image_map_hint(reference),
                                    "docker GET /images/" + name + "/json: HTTP 404");
        }
        if (auto pulled = pull(); !pulled.ok()) {
            // A registry that wants credentials: the message says `docker login`, not --image-map.
            const std::string& said = pulled.error().message;
            const bool login =
                said.find("; no credentials for the registry") != std::string::npos ||
                said.find("refused the credentials from") != std::string::npos;
            return image_error(pulled.error(), "image " + reference +
                                                   " is not present locally and could not be "
                                                   "pulled (" +
                                                   pulled.error().message + ")" +
                                                   (login ? "" : ". " + image_map_hint(reference)));
        }
        details = m_client.inspect_image(name);
    }
    if (!details.ok()) {
        return details.error();
    }
    if (!details->has_value()) {
        return base::make_error(
            base::ErrorKind::Docker,
            "image " + reference + " is still missing after the pull. " + image_map_hint(reference),
            "docker GET /images/" + name + "/json: HTTP 404");
    }
    info.id = (*details)->id;
    info.repo_digests = (*details)->repo_digests;
    info.user = (*details)->user;
    return info;
}

base::Result<std::string> DockerRuntime::ensure_pause_image() {
    std::lock_guard lock(m_pause_mutex);
    if (!m_pause_image_id.empty()) {
        return m_pause_image_id;
    }
    auto details = m_client.inspect_image(m_config.pause_image);
    if (!details.ok()) {
        return details.error();
    }
    if (!details->has_value()) {
        auto tar = pause_image_tar();
        if (!tar.ok()) {
            return tar.error();
        }
        const auto reference = ImageReference::parse(m_config.pause_image);
        KFRUN_TRY(m_client.import_image(std::move(*tar), reference.repository, reference.pull_tag(),
                                        {std::string(k_pause_entrypoint)}));
        details = m_client.inspect_image(m_config.pause_image);
        if (!details.ok()) {
            return details.error();
        }
        if (!details->has_value()) {
            return base::make_error(
                base::ErrorKind::Docker,
                "the pause image " + m_config.pause_image + " is missing right after its import",
                "docker POST /images/create");
        }
    }
    m_pause_image_id = (*details)->id;
    return m_pause_image_id;
}

base::Result<std::string> DockerRuntime::start_sandbox(const engine::RunContext& context) {
    auto image_id = ensure_pause_image();
    if (!image_id.ok()) {
        return image_id.error();
    }
    PauseContainerSpec sandbox;
    sandbox.image_id = *image_id;
    sandbox.name = "kfrun-" + base::sanitize_name(context.run_id, 48) + "-sandbox";
    sandbox.labels = run_labels(context, "sandbox");
    sandbox.network_mode = "bridge";
    return start_pause_container(m_client, sandbox);
}

base::Result<void> DockerRuntime::begin_run(const engine::RunContext& context) {
    std::lock_guard starting(m_sandbox_mutex);
    std::lock_guard lock(m_mutex);
    if (m_run) {
        return base::make_error(base::ErrorKind::Internal,
                                "begin_run(" + context.run_id + ") while run " +
                                    m_run->context.run_id + " is still active",
                                "DockerRuntime");
    }
    if (context.run_id.empty()) {
        return base::make_error(base::ErrorKind::Internal, "begin_run needs a run id",
                                "DockerRuntime");
    }
    // Pod mode: the sandbox starts with the first step that really runs (ensure_sandbox).
    m_run = RunSnapshot{};
    m_run->context = context;
    m_sandbox_error.reset();
    return {};
}

std::string DockerRuntime::sandbox_id() const {
    std::lock_guard lock(m_mutex);
    return m_run ? m_run->sandbox_id : std::string{};
}

base::Result<std::string> DockerRuntime::ensure_sandbox() {
    std::lock_guard starting(m_sandbox_mutex);
    engine::RunContext context;
    {
        std::lock_guard lock(m_mutex);
        if (!m_run || m_run->context.network != engine::NetworkMode::Pod) {
            return base::make_error(base::ErrorKind::Internal,
                                    "ensure_sandbox outside a Pod-mode run", "DockerRuntime");
        }
        if (!m_run->sandbox_id.empty()) {
            return m_run->sandbox_id;
        }
        context = m_run->context;
    }
    if (m_sandbox_error) {
        return *m_sandbox_error;
    }
    auto sandbox = start_sandbox(context);
    if (!sandbox.ok()) {
        // A create or start that timed out may still have happened: sweep by label.
        static_cast<void>(remove_labelled(context.run_id, false));
        m_sandbox_error = sandbox.error();
        return sandbox.error();
    }
    std::lock_guard lock(m_mutex);
    if (!m_run || m_run->context.run_id != context.run_id) {
        // end_run came first: the run's sweep may have missed this container.
        static_cast<void>(m_client.remove_container(*sandbox));
        return base::make_error(base::ErrorKind::Internal,
                                "the run ended while its sandbox started", "DockerRuntime");
    }
    m_run->sandbox_id = *sandbox;
    return std::move(*sandbox);
}

base::Result<engine::StepOutcome> DockerRuntime::run_step(const engine::StepSpec& spec,
                                                          engine::StepObserver& observer,
                                                          const engine::CancelToken& cancel) {
    std::optional<RunSnapshot> run;
    {
        std::lock_guard lock(m_mutex);
        run = m_run;
    }
    if (run) {
        run->reaper = &m_reaper;
        run->layer_reads = m_layer_reads;
        run->input_folder_reads = m_config.read_outputs_from_layers;
        run->output_counters = &m_output_reads;
        run->sub_path_staging_dir = m_config.sub_path_staging_dir;
    }
    if (!run) {
        return base::make_error(base::ErrorKind::Internal,
                                "run_step(" + spec.container_name + ") before begin_run",
                                "DockerRuntime");
    }
    if (run->context.network == engine::NetworkMode::Pod && run->sandbox_id.empty()) {
        auto sandbox = ensure_sandbox();
        if (!sandbox.ok()) {
            return sandbox.error();
        }
        run->sandbox_id = std::move(*sandbox);
    }
    if (StepRun::needs_own_pod(run->context.network, spec)) {
        auto pause = ensure_pause_image();
        if (!pause.ok()) {
            return pause.error();
        }
        run->pause_image_id = std::move(*pause);
    }
    StepRun step(
        m_client, m_store, *run, spec, observer, cancel,
        StepRun::Timing{m_config.poll_interval, m_config.kill_grace, m_config.sidecar_stop_grace});
    return step.run();
}

base::Result<void> DockerRuntime::end_run() {
    std::optional<RunSnapshot> run;
    {
        std::lock_guard lock(m_mutex);
        run.swap(m_run);
    }
    if (!run) {
        return {};
    }
    base::Result<void> result;
    // The steps' containers first: they joined the sandbox's network.
    if (auto problems = m_reaper.drain(); !problems.empty()) {
        result = base::make_error(base::ErrorKind::Docker, problems.front(), "end of run");
    }
    if (!run->sandbox_id.empty()) {
        if (auto removed = m_client.remove_container(run->sandbox_id); !removed.ok() && result.ok()) {
            result = removed.error();
        }
    }
    if (auto swept = remove_labelled(run->context.run_id, run->context.keep_containers);
        !swept.ok() && result.ok()) {
        result = swept.error();
    }
    // Volumes after containers: a volume is in use while any container, even a stopped one,
    // references it.
    if (auto swept = remove_run_volumes(run->context.run_id, run->context.keep_containers);
        !swept.ok() && result.ok()) {
        result = swept.error();
    }
    std::lock_guard lock(m_mutex);
    m_cleanup_error.reset();
    if (!result.ok()) {
        m_cleanup_error = result.error();
    }
    return result;
}

std::optional<base::Error> DockerRuntime::cleanup_error() const {
    std::lock_guard lock(m_mutex);
    return m_cleanup_error;
}

base::Result<void> DockerRuntime::remove_labelled(const std::string& run_id, bool keep_steps) {
    auto leftovers = m_client.list_containers({{k_run_label, run_id}});
    if (!leftovers.ok()) {
        return leftovers.error();
    }
    base::Result<void> result;
    for (const auto& container : *leftovers) {
        const auto role = container.labels.find(k_role_label);
        if (keep_steps && role != container.labels.end() &&
            (role->second == "step" || role->second == "init" || role->second == "sidecar")) {
            continue;
        }
        if (auto removed = m_client.remove_container(container.id); !removed.ok() && result.ok()) {
            result = removed.error();
        }
    }
    return result;
}

}  // namespace kfrun::docker
