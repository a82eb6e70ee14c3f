#pragma once
// DockerRuntimeTest: a DockerFixture with a DockerRuntime, ended (and checked to leave no
// container of the test behind) in TearDown.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "docker_fixture.hpp"

namespace kfrun::docker::testing {

class DockerRuntimeTest : public DockerFixture {
  protected:
    using NetworkMode = engine::NetworkMode;

    void SetUp() override {
        DockerFixture::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        m_runtime = make_runtime();
    }
    void TearDown() override {
        if (m_runtime) {
            auto ended = m_runtime->end_run();
            EXPECT_TRUE(ended.ok()) << ended.error().to_string();
            EXPECT_EQ(remaining_containers(), std::vector<std::string>{})
                << "no container of the test may remain after end_run";
        }
        DockerFixture::TearDown();
    }

    void begin(NetworkMode network) {
        auto begun = m_runtime->begin_run(run_context(network));
        ASSERT_TRUE(begun.ok()) << begun.error().to_string();
    }

    engine::StepOutcome run(const engine::StepSpec& spec, RecordingObserver& observer,
                            const engine::CancelToken& cancel = {}) {
        auto outcome = m_runtime->run_step(spec, observer, cancel);
        EXPECT_TRUE(outcome.ok()) << outcome.error().to_string();
        return outcome.ok() ? std::move(*outcome) : engine::StepOutcome{};
    }

    // A busybox init container or sidecar running `sh -c script`.
    engine::AuxContainer busybox_aux(const std::string& name, const std::string& script) const {
        engine::AuxContainer aux;
        aux.name = name;
        aux.image = k_busybox;
        aux.image_id = busybox_id();
        aux.command = {"sh", "-c"};
        aux.args = {script};
        return aux;
    }

    static engine::VolumeMount volume_mount(const std::string& volume, const std::string& path,
                                            const std::string& sub_path = {},
                                            std::map<std::string, std::string> labels = {}) {
        engine::VolumeMount mount;
        mount.type = engine::VolumeMount::Type::Volume;
        mount.source = volume;
        mount.container_path = path;
        mount.sub_path = sub_path;
        mount.labels = std::move(labels);
        return mount;
    }

    // The names of the volumes carrying this test's label.
    std::vector<std::string> test_volumes() {
        std::vector<std::string> names;
        auto volumes = client().list_volumes(test_labels());
        EXPECT_TRUE(volumes.ok()) << volumes.error().to_string();
        if (volumes.ok()) {
            for (const auto& volume : *volumes) {
                names.push_back(volume.name);
            }
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    // Containers of this test whose org.kfrun.role is `role`.
    std::vector<std::string> containers_with_role(const std::string& role) {
        auto labels = test_labels();
        labels[k_role_label] = role;
        std::vector<std::string> ids;
        auto containers = client().list_containers(labels);
        EXPECT_TRUE(containers.ok()) << containers.error().to_string();
        if (containers.ok()) {
            for (const auto& container : *containers) {
                ids.push_back(container.id);
            }
        }
        return ids;
    }

    std::unique_ptr<DockerRuntime> m_runtime;
};

}  // namespace kfrun::docker::testing
