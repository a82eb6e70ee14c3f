// Claim names are Docker volume names on the real daemon (issue 16, found by trying kfrun as a
// hostile pipeline would): a pipeline's persistentVolumeClaim may not mount a volume that kfrun
// did not make for that claim (another project's database, a CI cache) unless --allow-volume
// names it; a volume kfrun made for the claim is used again by the next run, as a PVC would be.
#include <fstream>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "docker/docker_client.hpp"
#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class VolumeOwnership : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        auto client = docker::DockerClient::connect(docker::DockerConfig{});
        ASSERT_TRUE(client.ok()) << client.error().to_string();
        m_client = std::make_unique<docker::DockerClient>(std::move(client.value()));
        m_volume = "kfrun-test-foreign-" + base::random_suffix(8);
    }
    void TearDown() override {
        if (m_client) {
            (void)m_client->remove_volume(m_volume);
        }
    }

    // A one-step pipeline mounting claim `claim` at /data and running `script`.
    std::string pipeline(const std::string& claim, const std::string& script) {
        std::filesystem::path file = kfrun.work_dir() / "claim.yaml";
        std::ofstream(file) << "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
                            << "metadata: {name: claim}\nspec:\n  entrypoint: main\n"
                            << "  volumes: [{name: data, persistentVolumeClaim: {claimName: "
                            << claim << "}}]\n  templates:\n  - name: main\n    container:\n"
                            << "      image: busybox\n      command: [sh, -c, '" << script
                            << "']\n      volumeMounts: [{name: data, mountPath: /data}]\n"
                            << "    outputs:\n      parameters:\n"
                            << "      - {name: out, valueFrom: {path: /tmp/out, default: none}}\n";
        return file.string();
    }
    static std::string out(const KfrunResult& result) {
        return result.step("claim")["outputs"]["parameters"].value("out", "");
    }

    KfrunProcess kfrun;
    std::unique_ptr<docker::DockerClient> m_client;
    std::string m_volume;
};

TEST_F(VolumeOwnership, AClaimMayNotMountAnExistingVolumeKfrunDidNotMakeForIt) {
    ASSERT_TRUE(m_client->create_volume(m_volume, {{"com.example.owner", "postgres"}}).ok());
    KfrunResult refused = kfrun.run(
        pipeline(m_volume, "echo pwned > /data/pwned; echo ran > /tmp/out"), {"--no-cache"});
    EXPECT_NE(refused.exit_code, 0) << refused.output;
    EXPECT_NE(refused.output.find("--allow-volume " + m_volume), std::string::npos)
        << refused.output;
    const std::string run_id = refused.report.value("runId", "");
    EXPECT_TRUE(containers_of_run(run_id).empty());

    // The debugging loop re-creates the refused step from its spec: it gets an empty volume
    // instead, and says why (it mounted the foreign one read-write before).
    KfrunResult shell = kfrun.exec(
        {"shell", run_id, "claim", "--run", "--data-dir", kfrun.data_dir().string()}, "/dev/null");
    EXPECT_NE(shell.output.find("was not made by kfrun for its claim"), std::string::npos)
        << shell.output;

    // Allowed by name: it mounts, and finds that the refused run wrote nothing into it.
    KfrunResult allowed = kfrun.run(
        pipeline(m_volume,
                 "test -e /data/pwned && echo written > /tmp/out || echo clean > /tmp/out"),
        {"--no-cache", "--allow-volume", m_volume});
    ASSERT_EQ(allowed.exit_code, 0) << allowed.output;
    EXPECT_EQ(out(allowed), "clean");
}

TEST_F(VolumeOwnership, AVolumeKfrunMadeForTheClaimIsUsedAgainByTheNextRun) {
    KfrunResult first =
        kfrun.run(pipeline(m_volume, "echo kept > /data/file; echo ok > /tmp/out"), {"--no-cache"});
    ASSERT_EQ(first.exit_code, 0) << first.output;
    auto volume = m_client->inspect_volume(m_volume);
    ASSERT_TRUE(volume.ok() && volume->has_value());
    EXPECT_EQ((*volume)->labels["org.kfrun.pvc"], m_volume);
    KfrunResult second = kfrun.run(pipeline(m_volume, "cat /data/file > /tmp/out"), {"--no-cache"});
    ASSERT_EQ(second.exit_code, 0) << second.output;
    EXPECT_EQ(out(second), "kept");
}

}  // namespace
}  // namespace kfrun::testing
