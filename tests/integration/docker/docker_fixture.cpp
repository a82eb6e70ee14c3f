#include "docker_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <random>

#include "docker/docker_error.hpp"

namespace kfrun::docker::testing {

void RecordingObserver::on_started(std::string_view container_id) {
    {
        std::lock_guard lock(m_mutex);
        m_container_id = container_id;
    }
    if (started_hook) {
        started_hook(container_id);
    }
}

void RecordingObserver::on_log_line(engine::LogStream stream, std::string_view line) {
    std::lock_guard lock(m_mutex);
    m_lines.emplace_back(stream, std::string(line));
}

std::vector<std::string> RecordingObserver::lines(engine::LogStream stream) const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [from, line] : m_lines) {
        if (from == stream) {
            out.push_back(line);
        }
    }
    return out;
}

std::vector<std::pair<engine::LogStream, std::string>> RecordingObserver::all_lines() const {
    std::lock_guard lock(m_mutex);
    return m_lines;
}

std::string RecordingObserver::container_id() const {
    std::lock_guard lock(m_mutex);
    return m_container_id;
}

void DockerFixture::SetUp() {
    DockerConfig config;
    auto client = DockerClient::connect(config);
    if (!client.ok()) {
        if (!http_status(client.error()) &&
            client.error().message.find("cannot connect") != std::string::npos) {
            GTEST_SKIP() << "no Docker daemon answers: " << client.error().to_string();
        }
        FAIL() << client.error().to_string();
    }
    m_client.emplace(std::move(*client));
    auto busybox = m_client->inspect_image(k_busybox);
    ASSERT_TRUE(busybox.ok()) << busybox.error().to_string();
    ASSERT_TRUE(busybox->has_value())
        << k_busybox << " is missing: run fixtures/images/build-busybox.sh";
    m_busybox_id = (*busybox)->id;

    static std::atomic<int> counter{0};
    std::random_device random;
    m_token = "kfrt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(random() % 100000);
    m_temp = std::filesystem::temp_directory_path() / m_token;
    std::filesystem::create_directories(m_temp);
    auto store = store::FileArtifactStore::open(m_temp / "store");
    ASSERT_TRUE(store.ok()) << store.error().to_string();
    m_store = std::move(*store);
    m_pause_image = "kfrun-test/pause:" + m_token;
}

void DockerFixture::TearDown() {
    if (!m_client) {
        return;
    }
    auto containers = m_client->list_containers(test_labels());
    if (containers.ok()) {
        for (const auto& container : *containers) {
            static_cast<void>(m_client->remove_container(container.id));
        }
    }
    auto volumes = m_client->list_volumes(test_labels());
    if (volumes.ok()) {
        for (const auto& volume : *volumes) {
            static_cast<void>(m_client->remove_volume(volume.name));
        }
    }
    static_cast<void>(m_client->remove_image(m_pause_image));
    std::error_code ignored;
    std::filesystem::remove_all(m_temp, ignored);
}

std::unique_ptr<DockerRuntime> DockerFixture::make_runtime(bool layer_reads) {
    DockerRuntimeConfig config;
    config.pause_image = m_pause_image;
    config.read_outputs_from_layers = layer_reads;
    return std::make_unique<DockerRuntime>(*m_client, config, *m_store);
}

engine::RunContext DockerFixture::run_context(engine::NetworkMode network,
                                              const std::string& suffix) {
    engine::RunContext context;
    context.run_id = m_token + "-" + suffix;
    context.network = network;
    context.scratch_dir = m_temp / ("scratch-" + suffix);
    context.labels = test_labels();
    return context;
}

engine::StepSpec DockerFixture::shell_step(const std::string& name, const std::string& script) {
    engine::StepSpec spec;
    spec.container_name = m_token + "-" + name;
    spec.display_name = name;
    spec.image = k_busybox;
    spec.image_id = m_busybox_id;
    spec.command = {"sh", "-c"};
    spec.args = {script};
    return spec;
}

std::vector<std::string> DockerFixture::remaining_containers() {
    std::vector<std::string> names;
    auto containers = m_client->list_containers(test_labels());
    EXPECT_TRUE(containers.ok()) << containers.error().to_string();
    if (containers.ok()) {
        for (const auto& container : *containers) {
            names.push_back(container.names.empty() ? container.id : container.names.front());
        }
    }
    return names;
}

}  // namespace kfrun::docker::testing
