// Issue 18 items 1 and 3, end to end against a real registry: Debian's docker-registry on
// 127.0.0.1 with basic auth (LocalRegistry). An image of a few MB that exists only there (a
// random 3 MB layer on the busybox fixture) is pulled by `kfrun run` with the credentials
// `docker login` stored in a temp DOCKER_CONFIG, or a credential helper on PATH gives. Checked:
// the pull works, shows its progress as plain lines, happens once for two parallel steps, is in
// the report's pull time; a wrong password and no credentials give messages naming the
// registry; the password is in no file kfrun writes and not in its output.
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>

#include <gtest/gtest.h>

#include "base/random_id.hpp"
#include "kfrun_process.hpp"
#include "support/local_registry.hpp"

namespace kfrun::testing {
namespace {

using test_support::LocalRegistry;
using test_support::run_shell;

const std::string k_user = "kfrun-user";
const std::string k_password = "Pw-9c1e-unique-73f2";

int count_of(const std::string& text, const std::string& needle) {
    int count = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++count;
    }
    return count;
}

class PrivateRegistry : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!docker_available() || !LocalRegistry::available()) {
            return;
        }
        s_registry = std::make_unique<LocalRegistry>(k_user, k_password);
    }
    static void TearDownTestSuite() { s_registry.reset(); }

    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        if (!LocalRegistry::available()) {
            GTEST_SKIP() << "docker-registry or htpasswd is missing; scripts/setup.sh installs "
                            "docker-registry and apache2-utils";
        }
        ASSERT_TRUE(s_registry->problem().empty()) << s_registry->problem();
        m_config = kfrun.work_dir() / "docker-config";
        ASSERT_TRUE(s_registry->login(m_config, k_user, k_password));
        // An image only the registry has: busybox plus a random 3 MB layer.
        const std::string token = base::random_suffix(10);
        const std::string container = "kfrun-registry-test-" + token;
        m_remote = s_registry->host() + "/kfrun-test/private:" + token;
        std::string out;
        ASSERT_EQ(run_shell("docker run --name " + container +
                                " kfrun-fixtures/busybox:1 sh -c 'head -c 3000000 /dev/urandom "
                                "> /blob' && docker commit " +
                                container + " " + m_remote + " && docker rm " + container,
                            &out),
                  0)
            << out;
        // push removes the local tag: the image and its 3 MB layer are gone from the daemon
        ASSERT_EQ(s_registry->push(m_remote, m_remote, m_config), "");
    }
    void TearDown() override {
        ::unsetenv("DOCKER_CONFIG");
        if (!m_old_path.empty()) {
            ::setenv("PATH", m_old_path.c_str(), 1);
        }
        if (!m_remote.empty()) {
            run_shell("docker rmi " + m_remote);
        }
    }

    KfrunResult run_pipeline(const std::filesystem::path& docker_config) {
        return run_pipeline(docker_config, m_remote);
    }
    KfrunResult run_pipeline(const std::filesystem::path& docker_config, const std::string& image) {
        ::setenv("DOCKER_CONFIG", docker_config.c_str(), 1);
        return kfrun.run(
            KfrunProcess::fixture("tests/integration/pipelines/data/private-registry.yaml"),
            {"--image-map", "private-registry-image=" + image});
    }
    // The password is nowhere kfrun writes or prints.
    void expect_no_password(const KfrunResult& result, const std::string& password) {
        EXPECT_EQ(result.output.find(password), std::string::npos) << result.output;
        EXPECT_TRUE(files_containing(kfrun.data_dir(), password).empty());
        EXPECT_TRUE(files_containing(kfrun.cache_dir(), password).empty());
        EXPECT_TRUE(files_containing(result.report_dir, password).empty());
    }
    void write_config(const std::filesystem::path& dir, const std::string& text) {
        std::filesystem::create_directories(dir);
        std::ofstream(dir / "config.json") << text;
    }

    static std::unique_ptr<LocalRegistry> s_registry;
    KfrunProcess kfrun;
    std::filesystem::path m_config;
    std::string m_remote;
    std::string m_old_path;
};

std::unique_ptr<LocalRegistry> PrivateRegistry::s_registry;

TEST_F(PrivateRegistry, RunPullsWithTheDockerLoginCredentialsAndShowsProgress) {
    KfrunResult result = run_pipeline(m_config);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    for (const char* step : {"left", "right", "after"}) {
        EXPECT_EQ(result.step(step)["outputs"]["parameters"]["size"], "3000000") << step;
    }
    // Plain progress lines (the output is a file): a start and an end, once for the two
    // parallel steps that both wait for the image.
    EXPECT_EQ(count_of(result.output, "⇣ " + m_remote + "  pulling\n"), 1) << result.output;
    EXPECT_EQ(count_of(result.output, "⇣ " + m_remote + "  pulled in "), 1) << result.output;
    EXPECT_NE(result.output.find(" MiB of "), std::string::npos) << result.output;
    // The pull's time is in the report of the steps that waited for it.
    const long long left = result.step("left")["timings"]["pullMs"].get<long long>();
    const long long right = result.step("right")["timings"]["pullMs"].get<long long>();
    EXPECT_GT(std::max(left, right), 0) << result.report.dump();
    expect_no_password(result, k_password);
}

TEST_F(PrivateRegistry, AWrongPasswordNamesTheRegistry) {
    const std::string wrong = "Wrong-pw-5d1a-unique";
    // base64("kfrun-user:Wrong-pw-5d1a-unique")
    std::string out;
    ASSERT_EQ(run_shell("printf '%s' '" + k_user + ":" + wrong + "' | base64 -w0", &out), 0);
    const auto config = kfrun.work_dir() / "wrong-config";
    write_config(config,
                 R"({"auths": {")" + s_registry->host() + R"(": {"auth": ")" + out + R"("}}})");
    KfrunResult result = run_pipeline(config);
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(
        result.output.find("the registry " + s_registry->host() + " refused the credentials from " +
                           (config / "config.json").string() + ": run `docker login " +
                           s_registry->host() + "` again"),
        std::string::npos)
        << result.output;
    expect_no_password(result, wrong);
}

TEST_F(PrivateRegistry, NoCredentialsSaysToLogIn) {
    const auto config = kfrun.work_dir() / "empty-config";
    std::filesystem::create_directories(config);
    KfrunResult result = run_pipeline(config);
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("no credentials for the registry " + s_registry->host() + " in " +
                                 (config / "config.json").string() + ": run `docker login " +
                                 s_registry->host() + "`"),
              std::string::npos)
        << result.output;
}

// The daemon hands the credentials of X-Registry-Auth to whatever registry it pulls from, and it
// pulls `LOCALHOST:port/…` from 127.0.0.1 (DNS ignores case). kfrun took a first component with
// capitals for a Docker Hub user and sent the Hub login with the pull: a pipeline naming
// `Evil.Example.com/x` got the user's Hub password. Here the Hub login happens to be valid at
// the local registry, so the old code's pull succeeded.
TEST_F(PrivateRegistry, HubCredentialsNeverGoToAHostSpelledWithCapitals) {
    std::string auth;
    ASSERT_EQ(run_shell("printf '%s' '" + k_user + ":" + k_password + "' | base64 -w0", &auth), 0);
    const auto config = kfrun.work_dir() / "hub-config";
    write_config(config,
                 R"({"auths": {"https://index.docker.io/v1/": {"auth": ")" + auth + R"("}}})");
    const std::string numeric = "127.0.0.1";
    ASSERT_EQ(m_remote.rfind(numeric, 0), 0u) << m_remote;
    const std::string capitals = "LOCALHOST" + m_remote.substr(numeric.size());
    const std::string host = "LOCALHOST" + s_registry->host().substr(numeric.size());
    KfrunResult result = run_pipeline(config, capitals);
    run_shell("docker rmi " + capitals);
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("no credentials for the registry " + host + " in " +
                                 (config / "config.json").string()),
              std::string::npos)
        << result.output;
    expect_no_password(result, k_password);
}

TEST_F(PrivateRegistry, ACredentialHelperOnPathGivesTheCredentials) {
    const auto bin = kfrun.work_dir() / "helper-bin";
    std::filesystem::create_directories(bin);
    const auto helper = bin / "docker-credential-kfruntest";
    std::ofstream(helper) << "#!/bin/sh\nread server\n"
                          << "printf '{\"ServerURL\":\"%s\",\"Username\":\"" << k_user
                          << "\",\"Secret\":\"" << k_password << "\"}' \"$server\"\n";
    ::chmod(helper.c_str(), 0755);
    const auto config = kfrun.work_dir() / "helper-config";
    write_config(config, R"({"credHelpers": {")" + s_registry->host() + R"(": "kfruntest"}})");
    m_old_path = std::getenv("PATH");
    ::setenv("PATH", (bin.string() + ":" + m_old_path).c_str(), 1);
    KfrunResult result = run_pipeline(config);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("after")["outputs"]["parameters"]["size"], "3000000");
    expect_no_password(result, k_password);

    // A helper that is gone: a warning naming it, and the pull fails without credentials.
    run_shell("docker rmi " + m_remote);
    std::filesystem::remove(helper);
    KfrunResult missing = run_pipeline(config);
    EXPECT_EQ(missing.exit_code, 1) << missing.output;
    EXPECT_NE(missing.output.find("the credential helper docker-credential-kfruntest (for " +
                                  s_registry->host() + ") failed: not found on PATH"),
              std::string::npos)
        << missing.output;
}

}  // namespace
}  // namespace kfrun::testing
