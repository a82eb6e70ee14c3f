#pragma once
// DockerFixture: the shared set-up of the Docker integration tests. Connects to the real daemon
// (skipping only when none answers), opens a real FileArtifactStore in a temp dir, and labels
// everything a test makes with org.kfrun.test=<token> so TearDown removes it all.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "docker/docker_client.hpp"
#include "docker/docker_runtime.hpp"
#include "store/file_artifact_store.hpp"

namespace kfrun::docker::testing {

inline constexpr const char* k_busybox = "kfrun-fixtures/busybox:1";
inline constexpr const char* k_test_label = "org.kfrun.test";

// Records what a step reports; safe to read after run_step returns.
class RecordingObserver : public engine::StepObserver {
  public:
    void on_started(std::string_view container_id) override;
    void on_log_line(engine::LogStream stream, std::string_view line) override;

    std::vector<std::string> lines(engine::LogStream stream) const;
    std::vector<std::pair<engine::LogStream, std::string>> all_lines() const;
    std::string container_id() const;

    // Called from on_started (on the step's thread), e.g. to inspect the running container.
    std::function<void(std::string_view)> started_hook;

  private:
    mutable std::mutex m_mutex;
    std::string m_container_id;
    std::vector<std::pair<engine::LogStream, std::string>> m_lines;
};

class DockerFixture : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    DockerClient& client() { return *m_client; }
    engine::ArtifactStore& store() { return *m_store; }
    const std::string& token() const { return m_token; }
    std::map<std::string, std::string> test_labels() const { return {{k_test_label, m_token}}; }
    const std::filesystem::path& temp_dir() const { return m_temp; }
    const std::string& busybox_id() const { return m_busybox_id; }

    // A runtime with a per-test pause image tag (removed in TearDown). `layer_reads` false:
    // outputs always through GET /archive.
    std::unique_ptr<DockerRuntime> make_runtime(bool layer_reads = true);
    // A run context labelled for this test, with a scratch dir under the temp dir.
    engine::RunContext run_context(engine::NetworkMode network, const std::string& suffix = "run");
    // A busybox step running `sh -c script`.
    engine::StepSpec shell_step(const std::string& name, const std::string& script);
    // Names of this test's containers still present.
    std::vector<std::string> remaining_containers();

  private:
    std::optional<DockerClient> m_client;
    std::unique_ptr<store::FileArtifactStore> m_store;
    std::string m_token;
    std::filesystem::path m_temp;
    std::string m_busybox_id;
    std::string m_pause_image;
};

}  // namespace kfrun::docker::testing
