// Remote daemons end to end (issue 18, item 2): kfrun against a second dockerd over tcp:// with
// TLS, over ssh:// (`docker system dial-stdio` through Debian's sshd), and found through a
// Docker context without DOCKER_HOST. A run's results on a remote daemon equal a local run's
// (inputs sent with PUT /archive, outputs read with GET /archive).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>

#include <gtest/gtest.h>

#include "base/sha256.hpp"
#include "docker/docker_client.hpp"
#include "kfrun_process.hpp"
#include "remote_daemons.hpp"

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

TlsDockerd* g_tls = nullptr;
SshServer* g_ssh = nullptr;
std::string g_tls_problem;
std::string g_ssh_problem;

// Both daemons start once for the whole binary (the second dockerd takes seconds).
class RemoteDaemons : public ::testing::Environment {
  public:
    void SetUp() override {
        if (!docker_available()) {
            return;  // each test skips
        }
        g_tls = new TlsDockerd();
        g_tls_problem = g_tls->start();
        g_ssh = new SshServer();
        g_ssh_problem = g_ssh->start();
    }
    void TearDown() override {
        if (g_ssh != nullptr) {
            g_ssh->stop();
        }
        if (g_tls != nullptr) {
            g_tls->stop();
        }
    }
};

const auto* const g_environment = ::testing::AddGlobalTestEnvironment(new RemoteDaemons);

// Sets environment variables for one test and puts the old values back.
class ScopedEnv {
  public:
    ~ScopedEnv() {
        for (auto it = m_saved.rbegin(); it != m_saved.rend(); ++it) {
            if (it->second) {
                ::setenv(it->first.c_str(), it->second->c_str(), 1);
            } else {
                ::unsetenv(it->first.c_str());
            }
        }
    }
    void set(const std::string& name, const std::optional<std::string>& value) {
        const char* old = std::getenv(name.c_str());
        m_saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }

  private:
    std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};

class RemoteDaemon : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        for (const char* name :
             {"DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH",
              "DOCKER_CONFIG", "KFRUN_SSH_OPTS", "KFRUN_SSH_CONTROL_DIR"}) {
            m_env.set(name, std::nullopt);
        }
        m_secret = m_kfrun_local.work_dir() / "creds";
        fs::create_directories(m_secret);
        std::ofstream(m_secret / "token") << "s3cr3t";
    }
    void use_tls(const fs::path& cert_dir) {
        ASSERT_TRUE(g_tls != nullptr && g_tls_problem.empty()) << g_tls_problem;
        m_env.set("DOCKER_HOST", g_tls->url());
        m_env.set("DOCKER_TLS_VERIFY", "1");
        m_env.set("DOCKER_CERT_PATH", cert_dir.string());
    }
    void use_ssh() {
        ASSERT_TRUE(g_ssh != nullptr && g_ssh_problem.empty()) << g_ssh_problem;
        m_env.set("DOCKER_HOST", g_ssh->url());
        m_env.set("KFRUN_SSH_OPTS", g_ssh->client_options());
        m_env.set("KFRUN_SSH_CONTROL_DIR", g_ssh->control_dir().string());
    }
    KfrunResult run_pipeline(KfrunProcess& kfrun) {
        return kfrun.run(KfrunProcess::fixture("tests/integration/remote/data/remote.yaml"),
                         {"--secret", "creds=" + m_secret.string()});
    }
    // What a run produced: each step's output parameters and artifact digests.
    static nlohmann::json results_of(const KfrunResult& result) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& step : result.report["steps"]) {
            nlohmann::json artifacts = nlohmann::json::object();
            for (const auto& artifact : step["outputs"]["artifacts"]) {
                artifacts[artifact["name"].get<std::string>()] = {
                    artifact.value("sha256", ""), artifact.value("kind", ""),
                    artifact.value("files", 0), artifact.value("size", 0)};
            }
            out[step["name"].get<std::string>()] = {{"phase", step["phase"]},
                                                    {"parameters", step["outputs"]["parameters"]},
                                                    {"artifacts", artifacts}};
        }
        return out;
    }
    static void print_step_costs(const std::string& how, const KfrunResult& result) {
        for (const auto& step : result.report["steps"]) {
            std::cout << "[cost] " << how << " step " << step["name"].get<std::string>()
                      << " timings " << step["timings"].dump() << "\n";
        }
    }
    // The local run all remote runs are compared with (once per binary).
    const nlohmann::json& local_results() {
        static nlohmann::json results;
        if (results.is_null()) {
            KfrunResult local = run_pipeline(m_kfrun_local);
            EXPECT_EQ(local.exit_code, 0) << local.output;
            print_step_costs("unix", local);
            results = results_of(local);
        }
        return results;
    }

    ScopedEnv m_env;
    KfrunProcess m_kfrun_local;
    KfrunProcess m_kfrun_remote;  // its own cache: the remote run is not a cache hit
    fs::path m_secret;
};

TEST_F(RemoteDaemon, ATlsDaemonGivesTheSameResultsAsTheLocalOne) {
    const nlohmann::json local = local_results();
    ASSERT_EQ(local["consume"]["phase"], "Succeeded") << local.dump(2);
    EXPECT_EQ(local["consume"]["parameters"]["summary"],
              "hello world\n. ./sub ./sub/y ./x 750\nxyraw notes3cr3t");
    use_tls(g_tls->client_dir());
    KfrunResult remote = run_pipeline(m_kfrun_remote);
    ASSERT_EQ(remote.exit_code, 0) << remote.output;
    print_step_costs("tls", remote);
    EXPECT_EQ(results_of(remote), local);
    // It ran on the TLS daemon: its containers were made there (and removed again).
    EXPECT_TRUE(containers_of_run(remote.report["runId"]).empty());
}

TEST_F(RemoteDaemon, AnSshDaemonGivesTheSameResultsAsTheLocalOne) {
    const nlohmann::json local = local_results();
    use_ssh();
    KfrunResult remote = run_pipeline(m_kfrun_remote);
    ASSERT_EQ(remote.exit_code, 0) << remote.output;
    print_step_costs("ssh", remote);
    EXPECT_EQ(results_of(remote), local);
}

TEST_F(RemoteDaemon, AWrongCaIsAClearTlsErrorNamingTheHost) {
    use_tls(g_tls->wrong_ca_dir());
    KfrunResult result = run_pipeline(m_kfrun_remote);
    std::cout << "[message] " << result.output.substr(std::min(result.output.size(), result.output.find("error"))) << "\n";
    EXPECT_EQ(result.exit_code, 3) << result.output;
    EXPECT_NE(result.output.find("cannot connect to the Docker daemon at " + g_tls->url()),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("certificate verify failed"), std::string::npos) << result.output;
}

TEST_F(RemoteDaemon, NoClientCertificateIsAClearError) {
    use_tls(g_tls->no_cert_dir());
    KfrunResult result = run_pipeline(m_kfrun_remote);
    std::cout << "[message] " << result.output.substr(std::min(result.output.size(), result.output.find("error"))) << "\n";
    EXPECT_EQ(result.exit_code, 3) << result.output;
    EXPECT_NE(result.output.find(g_tls->url()), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("certificate"), std::string::npos) << result.output;
}

TEST_F(RemoteDaemon, AnSshLoginThatFailsSaysWhatSshSaid) {
    use_ssh();
    m_env.set("KFRUN_SSH_OPTS",
              "-o IdentitiesOnly=yes -o IdentityFile=/nonexistent -o "
              "StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null");
    m_env.set("KFRUN_SSH_CONTROL_DIR", (m_kfrun_remote.work_dir() / "ctl").string());
    KfrunResult result = run_pipeline(m_kfrun_remote);
    std::cout << "[message] " << result.output.substr(std::min(result.output.size(), result.output.find("error"))) << "\n";
    EXPECT_EQ(result.exit_code, 3) << result.output;
    EXPECT_NE(result.output.find(g_ssh->url()), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("Permission denied"), std::string::npos) << result.output;
}

// A Docker context store in a temp DOCKER_CONFIG: the context "tls-test" points at the TLS
// daemon with its TLS material in the store; "broken" points nowhere.
class ContextStoreRun : public RemoteDaemon {
  protected:
    void SetUp() override {
        RemoteDaemon::SetUp();
        if (IsSkipped()) {
            return;
        }
        ASSERT_TRUE(g_tls != nullptr && g_tls_problem.empty()) << g_tls_problem;
        m_config = m_kfrun_remote.work_dir() / "docker-config";
        add_context("tls-test", g_tls->url(), true);
        add_context("broken", "tcp://127.0.0.1:1", false);
        std::ofstream(m_config / "config.json") << R"({"currentContext":"tls-test"})";
        m_env.set("DOCKER_CONFIG", m_config.string());
    }
    void add_context(const std::string& name, const std::string& host, bool tls) {
        const std::string id = base::sha256_hex(name);
        fs::create_directories(m_config / "contexts/meta" / id);
        std::ofstream(m_config / "contexts/meta" / id / "meta.json")
            << R"({"Name":")" << name << R"(","Metadata":{},"Endpoints":{"docker":{"Host":")"
            << host << R"(","SkipTLSVerify":false}}})";
        if (tls) {
            const fs::path dir = m_config / "contexts/tls" / id / "docker";
            fs::create_directories(dir);
            for (const char* file : {"ca.pem", "cert.pem", "key.pem"}) {
                fs::copy_file(g_tls->client_dir() / file, dir / file);
            }
        }
    }
    std::string daemon_shown() {
        KfrunResult shown = m_kfrun_remote.exec({"config", "-o", "json"});
        auto json =
            nlohmann::json::parse(shown.output.substr(shown.output.find('{')), nullptr, false);
        return json.is_discarded() ? shown.output
                                   : json["dockerHost"]["value"].get<std::string>() + " from " +
                                         json["dockerHost"]["from"].get<std::string>();
    }
    // A step whose image only the TLS daemon has: it runs only there.
    std::string remote_only_pipeline() {
        const fs::path file = m_kfrun_remote.work_dir() / "remote-only.yaml";
        std::ofstream(file) << "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
                               "metadata: {generateName: remote-only-}\n"
                               "spec:\n  entrypoint: main\n  templates:\n  - name: main\n"
                               "    container:\n      image: kfrun-remote-only/busybox:1\n"
                               "      command: [sh, -c, 'echo -n there > /tmp/out']\n"
                               "    outputs:\n      parameters:\n"
                               "      - {name: out, valueFrom: {path: /tmp/out}}\n";
        return file.string();
    }

    fs::path m_config;
};

TEST_F(ContextStoreRun, TheCurrentContextIsFoundWithoutDockerHost) {
    EXPECT_EQ(daemon_shown(), g_tls->url() + " from context tls-test (currentContext in " +
                                  (m_config / "config.json").string() + ")");
    KfrunResult result = m_kfrun_remote.run(remote_only_pipeline());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    ASSERT_EQ(result.report["steps"].size(), 1U) << result.output;
    EXPECT_EQ(result.report["steps"][0]["outputs"]["parameters"]["out"], "there");
}

TEST_F(ContextStoreRun, DockerContextAndTheFlagOverrideTheCurrentContext) {
    std::ofstream(m_config / "config.json") << R"({"currentContext":"broken"})";
    m_env.set("DOCKER_CONTEXT", "tls-test");
    EXPECT_EQ(daemon_shown(), g_tls->url() + " from context tls-test ($DOCKER_CONTEXT)");
    KfrunResult result = m_kfrun_remote.run(remote_only_pipeline());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    // --docker-host wins over everything: the main daemon, which lacks the image.
    KfrunResult flagged = m_kfrun_remote.run(remote_only_pipeline(),
                                             {"--docker-host", "unix:///var/run/docker.sock"});
    EXPECT_NE(flagged.exit_code, 0) << flagged.output;
    EXPECT_NE(flagged.output.find("kfrun-remote-only/busybox:1"), std::string::npos)
        << flagged.output;
    m_env.set("DOCKER_CONTEXT", "missing");
    KfrunResult missing = m_kfrun_remote.run(remote_only_pipeline());
    EXPECT_EQ(missing.exit_code, 2) << missing.output;
    EXPECT_NE(missing.output.find("Docker context \"missing\" ($DOCKER_CONTEXT) was not found"),
              std::string::npos)
        << missing.output;
}

// The cost of one exchange (GET /version) over each transport, and of the first over ssh (the
// master connection). Printed, never asserted.
TEST_F(RemoteDaemon, PerExchangeCostOverEachTransport) {
    ASSERT_TRUE(g_tls != nullptr && g_tls_problem.empty()) << g_tls_problem;
    ASSERT_TRUE(g_ssh != nullptr && g_ssh_problem.empty()) << g_ssh_problem;
    auto median_of = [](const docker::DockerClient& client) {
        std::vector<double> ms;
        for (int i = 0; i < 15; ++i) {
            const auto start = std::chrono::steady_clock::now();
            EXPECT_TRUE(client.version().ok());
            ms.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
        }
        std::sort(ms.begin(), ms.end());
        return ms[ms.size() / 2];
    };
    auto local = docker::DockerClient::connect(docker::DockerConfig{});
    ASSERT_TRUE(local.ok());
    std::cout << "[cost] unix exchange median ms " << median_of(*local) << "\n";
    {
        ScopedEnv env;
        env.set("DOCKER_TLS_VERIFY", "1");
        env.set("DOCKER_CERT_PATH", g_tls->client_dir().string());
        docker::DockerConfig config;
        config.host = g_tls->url();
        auto tls = docker::DockerClient::connect(config);
        ASSERT_TRUE(tls.ok()) << tls.error().to_string();
        std::cout << "[cost] tls exchange median ms " << median_of(*tls) << "\n";
    }
    {
        ScopedEnv env;
        env.set("KFRUN_SSH_OPTS", g_ssh->client_options());
        const fs::path control = m_kfrun_remote.work_dir() / "ctl-cost";
        fs::create_directories(control);
        ::chmod(control.c_str(), 0700);
        env.set("KFRUN_SSH_CONTROL_DIR", control.string());
        docker::DockerConfig config;
        config.host = g_ssh->url();
        const auto start = std::chrono::steady_clock::now();
        auto ssh = docker::DockerClient::connect(config);
        ASSERT_TRUE(ssh.ok()) << ssh.error().to_string();
        std::cout << "[cost] ssh first exchange (master connection) ms "
                  << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                               start)
                         .count()
                  << "\n";
        std::cout << "[cost] ssh exchange median ms " << median_of(*ssh) << "\n";
        shell("ssh " + g_ssh->client_options() + " -o ControlPath=" + control.string() + "/%C -p " +
              std::to_string(g_ssh->port()) + " -O exit root@127.0.0.1");
    }
}

}  // namespace
}  // namespace kfrun::testing
