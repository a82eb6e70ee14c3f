#include "docker/context_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "base/sha256.hpp"

namespace kfrun::docker {
namespace {

namespace fs = std::filesystem;

// A temp DOCKER_CONFIG directory with a context store.
class ContextStore : public ::testing::Test {
  protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() /
                ("kfrun-context-test-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_env.config_dir = m_dir.string();
        m_env.home = "/nonexistent-home";
    }
    void TearDown() override { fs::remove_all(m_dir); }

    void write(const fs::path& relative, const std::string& text) {
        fs::create_directories((m_dir / relative).parent_path());
        std::ofstream(m_dir / relative, std::ios::binary) << text;
    }
    fs::path meta(const std::string& name) {
        return fs::path("contexts/meta") / base::sha256_hex(name) / "meta.json";
    }
    fs::path tls(const std::string& name, const std::string& file) {
        return fs::path("contexts/tls") / base::sha256_hex(name) / "docker" / file;
    }
    void add_context(const std::string& name, const std::string& host, bool skip = false) {
        write(meta(name), R"({"Name":")" + name +
                              R"(","Metadata":{},"Endpoints":{"docker":{"Host":")" + host +
                              R"(","SkipTLSVerify":)" + (skip ? "true" : "false") + "}}}");
    }
    base::Result<ResolvedDaemon> resolve() { return resolve_daemon(m_env); }
    std::string error_of(const base::Result<ResolvedDaemon>& result) {
        EXPECT_FALSE(result.ok());
        return result.ok() ? "" : result.error().message;
    }

    fs::path m_dir;
    DockerEnvironment m_env;
};

TEST_F(ContextStore, TheStoreIdIsTheSha256OfTheName) {
    EXPECT_EQ(context_store_id("default"),
              "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
}

TEST_F(ContextStore, NothingSetIsTheDefaultSocket) {
    auto resolved = resolve();
    ASSERT_TRUE(resolved.ok()) << resolved.error().to_string();
    EXPECT_EQ(resolved->endpoint.url(), "unix:///var/run/docker.sock");
    EXPECT_EQ(resolved->source, "default");
}

TEST_F(ContextStore, CurrentContextIsFoundInTheConfigFile) {
    add_context("lab", "tcp://10.1.2.3:2376");
    write(tls("lab", "ca.pem"), "ca");
    write(tls("lab", "cert.pem"), "cert");
    write(tls("lab", "key.pem"), "key");
    write("config.json", R"({"auths":{},"currentContext":"lab"})");
    auto resolved = resolve();
    ASSERT_TRUE(resolved.ok()) << resolved.error().to_string();
    EXPECT_EQ(resolved->endpoint.url(), "tcp://10.1.2.3:2376");
    EXPECT_TRUE(resolved->endpoint.tls);
    EXPECT_TRUE(resolved->endpoint.tls_verify);
    EXPECT_EQ(resolved->endpoint.tls_files.ca, (m_dir / tls("lab", "ca.pem")).string());
    EXPECT_EQ(resolved->endpoint.tls_files.key, (m_dir / tls("lab", "key.pem")).string());
    EXPECT_EQ(resolved->context, "lab");
    EXPECT_NE(resolved->source.find("currentContext in " + (m_dir / "config.json").string()),
              std::string::npos);
}

TEST_F(ContextStore, PrecedenceIsFlagThenDockerHostThenDockerContextThenCurrentContext) {
    add_context("lab", "tcp://10.1.2.3:2375");
    add_context("other", "ssh://me@other");
    write("config.json", R"({"currentContext":"lab"})");
    m_env.docker_context = "other";
    EXPECT_EQ(resolve()->endpoint.url(), "ssh://me@other");
    EXPECT_EQ(resolve()->source, "context other ($DOCKER_CONTEXT)");
    m_env.docker_host = "unix:///tmp/env.sock";
    EXPECT_EQ(resolve()->endpoint.url(), "unix:///tmp/env.sock");
    EXPECT_EQ(resolve()->source, "$DOCKER_HOST");
    m_env.explicit_host = "tcp://flag:2375";
    m_env.explicit_host_source = "--docker-host";
    EXPECT_EQ(resolve()->endpoint.url(), "tcp://flag:2375");
    EXPECT_EQ(resolve()->source, "--docker-host");
}

TEST_F(ContextStore, ContextDefaultIsTheDefaultSocket) {
    m_env.docker_context = "default";
    auto resolved = resolve();
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved->endpoint.url(), "unix:///var/run/docker.sock");
}

TEST_F(ContextStore, AMissingContextIsAnInputErrorNamingIt) {
    m_env.docker_context = "nowhere";
    auto resolved = resolve();
    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().kind, base::ErrorKind::Input);
    EXPECT_NE(resolved.error().message.find("Docker context \"nowhere\" ($DOCKER_CONTEXT) was "
                                            "not found"),
              std::string::npos)
        << resolved.error().message;
    m_env.docker_context.reset();
    write("config.json", R"({"currentContext":"gone"})");
    EXPECT_NE(error_of(resolve()).find("\"gone\""), std::string::npos);
}

TEST_F(ContextStore, SkipTlsVerifyIsHonouredOnlyWhenTheContextSaysSo) {
    add_context("skip", "tcp://10.0.0.9", true);
    m_env.docker_context = "skip";
    auto resolved = resolve();
    ASSERT_TRUE(resolved.ok()) << resolved.error().to_string();
    EXPECT_TRUE(resolved->endpoint.tls);
    EXPECT_FALSE(resolved->endpoint.tls_verify);
    EXPECT_EQ(resolved->endpoint.port, "2376");
    add_context("plain", "tcp://10.0.0.9");
    m_env.docker_context = "plain";
    EXPECT_FALSE(resolve()->endpoint.tls);
    EXPECT_EQ(resolve()->endpoint.port, "2375");
}

TEST_F(ContextStore, DockerTlsVerifyTakesTheCertificatesFromDockerCertPath) {
    m_env.docker_host = "tcp://127.0.0.1";
    m_env.tls_verify = "1";
    m_env.cert_path = (m_dir / "certs").string();
    EXPECT_NE(error_of(resolve()).find("ca.pem does not exist"), std::string::npos);
    write("certs/ca.pem", "ca");
    auto resolved = resolve();
    ASSERT_TRUE(resolved.ok()) << resolved.error().to_string();
    EXPECT_TRUE(resolved->endpoint.tls);
    EXPECT_EQ(resolved->endpoint.port, "2376");
    EXPECT_EQ(resolved->endpoint.tls_files.cert, "");  // no client certificate
    write("certs/cert.pem", "cert");
    write("certs/key.pem", "key");
    EXPECT_EQ(resolve()->endpoint.tls_files.cert, (m_dir / "certs/cert.pem").string());
    m_env.tls_verify = "";  // empty is unset, as for the CLI
    EXPECT_FALSE(resolve()->endpoint.tls);
}

TEST_F(ContextStore, HostileFilesAreErrorsNamingTheFile) {
    write("config.json", "{not json");
    EXPECT_NE(error_of(resolve()).find((m_dir / "config.json").string() + " is not a JSON object"),
              std::string::npos);
    write("config.json", "[1,2,3]");
    EXPECT_NE(error_of(resolve()).find("not a JSON object"), std::string::npos);
    write("config.json", R"({"currentContext": 42})");
    EXPECT_TRUE(resolve().ok());  // not a string: no current context, as the CLI ignores it
    write("config.json", R"({"currentContext":"bad"})");
    for (const std::string& text :
         {std::string("\x00\xff garbage", 11), std::string(R"({"Endpoints":[]})"),
          std::string(R"({"Endpoints":{"docker":{"Host":7}}})"),
          std::string(R"({"Endpoints":{"docker":{}}})"), std::string("null")}) {
        write(meta("bad"), text);
        auto resolved = resolve();
        ASSERT_FALSE(resolved.ok()) << text;
        EXPECT_EQ(resolved.error().kind, base::ErrorKind::Input);
        EXPECT_NE(resolved.error().message.find((m_dir / meta("bad")).string()), std::string::npos)
            << resolved.error().message;
    }
    write(meta("bad"), R"({"Endpoints":{"docker":{"Host":"ssh://-oProxyCommand=x"}}})");
    EXPECT_NE(error_of(resolve()).find("malformed"), std::string::npos);
    // A directory where the file should be, and a file too large to be a config.
    fs::remove(m_dir / meta("bad"));
    fs::create_directories(m_dir / meta("bad"));
    EXPECT_NE(error_of(resolve()).find("not a regular file"), std::string::npos);
    write("config.json", std::string(5 * 1024 * 1024, ' '));
    EXPECT_NE(error_of(resolve()).find("larger than 4 MiB"), std::string::npos);
}

}  // namespace
}  // namespace kfrun::docker
