// A Docker daemon that goes away mid-run (label "dockerd": the test starts a private dockerd of
// its own, on its own socket and data root, and stops only that one): the run ends as Error with
// a message and exit code 3, and the next kfrun command, once the daemon is back, leaves
// nothing of the run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "docker/docker_client.hpp"
#include "kfrun_process.hpp"
#include "lifecycle_support.hpp"

namespace kfrun::testing {
namespace {

namespace fs = std::filesystem;

// A dockerd of this test's own: started, stopped (by its pid) and started again.
class PrivateDaemon {
  public:
    // `bridge`: an existing bridge interface of the test's own. Never `--bridge none`: dockerd
    // then deletes the host's docker0, which the system daemon's containers need.
    PrivateDaemon(fs::path dir, std::string bridge)
        : m_dir(std::move(dir)), m_bridge(std::move(bridge)) {}
    ~PrivateDaemon() { stop(); }
    std::string host() const { return "unix://" + (m_dir / "d.sock").string(); }

    bool start() {
        m_pid = ::fork();
        if (m_pid == 0) {
            const std::string log = (m_dir / "dockerd.log").string();
            std::freopen(log.c_str(), "a", stdout);
            std::freopen(log.c_str(), "a", stderr);
            const std::string sock = "unix://" + (m_dir / "d.sock").string();
            const std::string root = (m_dir / "root").string();
            const std::string exec = (m_dir / "exec").string();
            const std::string pidfile = (m_dir / "d.pid").string();
            ::execl("/usr/sbin/dockerd", "dockerd", "-H", sock.c_str(), "--data-root", root.c_str(),
                    "--exec-root", exec.c_str(), "--pidfile", pidfile.c_str(), "--bridge",
                    m_bridge.c_str(), "--iptables=false", "--ip-masq=false",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        docker::DockerConfig config;
        config.host = host();
        for (int i = 0; i < 600; ++i) {  // until it answers (a minute on a loaded machine)
            if (docker::DockerClient::connect(config).ok()) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    void stop() {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
    }

  private:
    fs::path m_dir;
    std::string m_bridge;
    pid_t m_pid = -1;
};

class DaemonRestart : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (::geteuid() != 0 || !fs::exists("/usr/sbin/dockerd")) {
            return;
        }
        const std::string suffix = base::random_suffix(6);
        s_dir = fs::path("/tmp") / ("kfrun-dockerd-" + suffix);
        fs::create_directories(s_dir);
        s_bridge = "kfrunlc" + suffix;
        const std::string bridge = "ip link add " + s_bridge + " type bridge && ip addr add " +
                                   "10.213.77.1/24 dev " + s_bridge + " && ip link set " +
                                   s_bridge + " up";
        if (std::system(bridge.c_str()) != 0) {
            s_bridge.clear();
            return;
        }
        s_daemon = new PrivateDaemon(s_dir, s_bridge);
        if (!s_daemon->start()) {
            return;
        }
        // The fixture image, built into the private daemon as the scripts build it.
        const std::string build =
            "DOCKER_HOST=" + s_daemon->host() + " '" +
            KfrunProcess::fixture("fixtures/images/build-busybox.sh").string() + "' >'" +
            (s_dir / "build.log").string() + "' 2>&1";
        s_ready = std::system(build.c_str()) == 0;
    }
    static void TearDownTestSuite() {
        delete s_daemon;
        s_daemon = nullptr;
        if (!s_bridge.empty()) {
            const std::string remove = "ip link delete " + s_bridge;
            static_cast<void>(std::system(remove.c_str()));
        }
        if (!s_dir.empty()) {
            std::error_code ignored;
            fs::remove_all(s_dir, ignored);
        }
    }
    void SetUp() override {
        if (!s_ready) {
            GTEST_SKIP() << "needs root and /usr/sbin/dockerd to start a private daemon"
                         << (s_dir.empty() ? "" : "; see " + s_dir.string());
        }
        ::setenv("DOCKER_HOST", s_daemon->host().c_str(), 1);
    }
    void TearDown() override { ::unsetenv("DOCKER_HOST"); }

    static fs::path s_dir;
    static std::string s_bridge;
    static PrivateDaemon* s_daemon;
    static bool s_ready;
    KfrunProcess kfrun;
};

fs::path DaemonRestart::s_dir;
std::string DaemonRestart::s_bridge;
PrivateDaemon* DaemonRestart::s_daemon = nullptr;
bool DaemonRestart::s_ready = false;

TEST_F(DaemonRestart, ADaemonGoneMidRunEndsItAsErrorWithExit3AndNothingIsLeftAfterwards) {
    const fs::path data_dir = kfrun.data_dir();
    const fs::path report_dir = kfrun.work_dir() / "run";
    const pid_t pid = spawn_kfrun(
        {"run", KfrunProcess::fixture("tests/integration/lifecycle/data/long-step.yaml").string(),
         "--no-color", "--network", "none", "--data-dir", data_dir.string(), "--cache-dir",
         kfrun.cache_dir().string(), "--report-dir", report_dir.string(), "--image-map-file",
         KfrunProcess::fixture("fixtures/image-map.txt").string()},
        kfrun.work_dir() / "run.log");
    ASSERT_GT(pid, 0);
    std::set<std::string> runs;
    bool running = false;
    for (int i = 0; i < 1200 && !running; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        runs = runs_of_data_dir(data_dir);
        for (const auto& run : runs) {
            for (const auto& id : containers_of_run(run)) {
                running = running || !id.empty();
            }
        }
    }
    ASSERT_TRUE(running) << read_text(kfrun.work_dir() / "run.log");

    s_daemon->stop();  // the socket disappears mid-run
    const int exit_code = wait_for(pid);
    const std::string output = read_text(kfrun.work_dir() / "run.log");
    EXPECT_EQ(exit_code, 3) << output;
    std::ifstream in(report_dir / "report.json");
    const auto report = nlohmann::json::parse(in, nullptr, false);
    ASSERT_TRUE(report.is_object()) << output;
    EXPECT_EQ(report["status"], "Error") << output;
    EXPECT_FALSE(report.value("message", "").empty()) << report.dump(2);

    ASSERT_TRUE(s_daemon->start()) << "the private daemon did not come back";
    KfrunResult listed = kfrun.exec({"runs", "list", "--data-dir", data_dir.string()});
    EXPECT_EQ(listed.exit_code, 0) << listed.output;
    runs.merge(runs_of_data_dir(data_dir));
    const std::vector<std::string> left = leftovers(data_dir, runs);
    std::string text;
    for (const auto& line : left) {
        text += "  " + line + "\n";
    }
    EXPECT_TRUE(left.empty()) << text << listed.output;
}

}  // namespace
}  // namespace kfrun::testing
