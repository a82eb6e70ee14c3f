// Credential helpers as real processes: tiny `docker-credential-*` scripts written into a temp
// dir put first on PATH. A helper that answers, one that is missing, hangs, floods or fails, and
// RegistryCredentialStore's choice between credHelpers, credsStore and auths.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "docker/credential_helper.hpp"
#include "docker/registry_credential_store.hpp"

namespace kfrun::docker {
namespace {

class CredentialHelpers : public ::testing::Test {
  protected:
    void SetUp() override {
        char pattern[] = "/tmp/kfrun-cred-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        m_dir = pattern;
        const char* path = std::getenv("PATH");
        m_old_path = path != nullptr ? path : "/usr/bin:/bin";
        ::setenv("PATH", (m_dir.string() + ":" + m_old_path).c_str(), 1);
    }
    void TearDown() override {
        ::setenv("PATH", m_old_path.c_str(), 1);
        std::filesystem::remove_all(m_dir);
    }
    void helper(const std::string& name, const std::string& body) {
        const auto file = m_dir / ("docker-credential-" + name);
        std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
        ::chmod(file.c_str(), 0755);
    }
    void config(const std::string& text) { std::ofstream(m_dir / "config.json") << text; }

    std::filesystem::path m_dir;
    std::string m_old_path;
};

TEST_F(CredentialHelpers, AHelperGetsTheRegistryOnStdinAndAnswersOnStdout) {
    helper("kfruntest", R"(read server
printf '{"ServerURL":"%s","Username":"alice","Secret":"pw-%s"}' "$server" "$1")");
    auto answer = run_credential_helper("docker-credential-kfruntest", "get", "127.0.0.1:5000");
    ASSERT_TRUE(answer.ok()) << answer.error().to_string();
    EXPECT_EQ(answer->exit_status, 0);
    EXPECT_EQ(answer->output,
              R"({"ServerURL":"127.0.0.1:5000","Username":"alice","Secret":"pw-get"})");
}

TEST_F(CredentialHelpers, MissingHangingAndFloodingHelpersAreErrorsNamingThem) {
    auto missing = run_credential_helper("docker-credential-nosuch", "get", "r");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().to_string(), "docker-credential-nosuch get: not found on PATH");

    helper("hang", "exec sleep 30");
    HelperLimits quick;
    quick.timeout = std::chrono::milliseconds(300);
    auto hung = run_credential_helper("docker-credential-hang", "get", "r", quick);
    ASSERT_FALSE(hung.ok());
    EXPECT_NE(hung.error().message.find("did not answer within"), std::string::npos);

    helper("flood", "exec yes hunter2");
    auto flood = run_credential_helper("docker-credential-flood", "get", "r");
    ASSERT_FALSE(flood.ok());
    EXPECT_EQ(flood.error().message, "answered more than 64 KiB; killed");

    helper("deaf", "exit 3");  // never reads its stdin: no SIGPIPE for kfrun
    auto deaf = run_credential_helper("docker-credential-deaf", "get", std::string(1 << 20, 'r'));
    ASSERT_TRUE(deaf.ok());
    EXPECT_EQ(deaf->exit_status, 3);
}

TEST_F(CredentialHelpers, AHelperInheritsNoDescriptorOfKfrunsButItsStdio) {
    // As an Asio socket to the daemon that another thread holds: not close-on-exec.
    const int kept = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(kept, 0);
    const int high = ::fcntl(kept, F_DUPFD, 200);
    ASSERT_GE(high, 200);
    helper("fds", R"(read fd
for n in 3 "$fd"; do if [ -e "/proc/$$/fd/$n" ]; then printf 'inherited %s;' "$n"; fi; done
printf done)");
    auto answer =
        run_credential_helper("docker-credential-fds", "get", std::to_string(high) + "\n");
    ::close(kept);
    ::close(high);
    ASSERT_TRUE(answer.ok()) << answer.error().to_string();
    EXPECT_EQ(answer->output, "done");
}

TEST_F(CredentialHelpers, TheStoreUsesCredHelpersThenCredsStoreThenAuths) {
    helper("kfruntest", R"(read server
printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-pw"}' "$server")");
    helper("empty", "echo 'credentials not found in native keychain'; exit 1");
    config(R"({"auths": {"127.0.0.1:5000": {"auth": "ZmlsZTpmaWxlLXB3"},
                         "other.io": {"auth": "ZmlsZTpmaWxlLXB3"}},
               "credHelpers": {"127.0.0.1:5000": "kfruntest", "none.io": "empty"}})");
    RegistryCredentialStore store(m_dir);
    auto from_helper = store.lookup("127.0.0.1:5000");
    ASSERT_TRUE(from_helper.credentials);
    EXPECT_EQ(from_helper.credentials->username, "helper-user");
    EXPECT_EQ(from_helper.credentials->password, "helper-pw");
    EXPECT_EQ(from_helper.source, "docker-credential-kfruntest");
    EXPECT_TRUE(from_helper.warnings.empty());
    auto from_file = store.lookup("other.io");
    ASSERT_TRUE(from_file.credentials);
    EXPECT_EQ(from_file.credentials->password, "file-pw");
    EXPECT_FALSE(store.lookup("none.io").credentials);
    EXPECT_TRUE(store.lookup("none.io").warnings.empty());
    EXPECT_FALSE(store.lookup("docker.io").credentials);
}

TEST_F(CredentialHelpers, AFailingOrMissingHelperIsAWarningNamingIt) {
    config(R"({"auths": {"127.0.0.1:5000": {"auth": "ZmlsZTpmaWxlLXB3"}}, "credsStore": "gone"})");
    RegistryCredentialStore store(m_dir);
    auto lookup = store.lookup("127.0.0.1:5000");
    ASSERT_EQ(lookup.warnings.size(), 1u);
    EXPECT_EQ(lookup.warnings[0],
              "registry credentials: the credential helper docker-credential-gone (for "
              "127.0.0.1:5000) failed: not found on PATH");
    ASSERT_TRUE(lookup.credentials);  // the file's entry is still there
    EXPECT_EQ(lookup.credentials->username, "file");

    config("{ this is not json");
    auto garbage = store.lookup("127.0.0.1:5000");
    EXPECT_FALSE(garbage.credentials);
    ASSERT_EQ(garbage.warnings.size(), 1u);
    EXPECT_NE(garbage.warnings[0].find("config.json"), std::string::npos);
}

TEST_F(CredentialHelpers, NoConfigFileMeansNoCredentialsAndNoWarning) {
    RegistryCredentialStore store(m_dir / "absent");
    auto lookup = store.lookup("127.0.0.1:5000");
    EXPECT_FALSE(lookup.credentials);
    EXPECT_TRUE(lookup.warnings.empty());
}

}  // namespace
}  // namespace kfrun::docker
