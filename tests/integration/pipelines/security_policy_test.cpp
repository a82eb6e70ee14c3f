// The security policy end to end (issue 16, findings 1, 8 and 11): hostPath volumes need
// --allow-host-path (read-only unless PATH:rw, symbolic links resolved on the host); a
// .kfrun.yaml found by walking up may not widen security; securityContext's runAsUser,
// runAsGroup, runAsNonRoot, readOnlyRootFilesystem and capabilities reach the container.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

class SecurityPolicy : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!docker_available()) {
            GTEST_SKIP() << "no Docker daemon answers; run scripts/test.sh, which starts one";
        }
        m_host = kfrun.work_dir() / "host";
        std::filesystem::create_directories(m_host);
        std::ofstream(m_host / "secret.txt") << "top secret";
        ::chmod((m_host / "secret.txt").c_str(), 0600);
    }

    // A one-step pipeline: `volumes` and the container's extra YAML (indented for `container:`).
    std::string pipeline(const std::string& name, const std::string& script,
                         const std::string& container_extra = "",
                         const std::string& template_extra = "") {
        std::filesystem::path file = kfrun.work_dir() / (name + ".yaml");
        std::ofstream out(file);
        out << "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: " << name
            << "}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n"
            << template_extra << "    container:\n      image: busybox\n"
            << "      command: [sh, -c, '" << script << "']\n"
            << container_extra << "    outputs:\n      parameters:\n"
            << "      - {name: out, valueFrom: {path: /tmp/out, default: none}}\n";
        return file.string();
    }
    std::string host_path_pipeline(const std::string& host_path, const std::string& script) {
        return pipeline("host-path", script,
                        "      volumeMounts: [{name: host, mountPath: /host}]\n",
                        "    volumes: [{name: host, hostPath: {path: '" + host_path + "'}}]\n");
    }
    static std::string out(const KfrunResult& result) {
        return result.step("host-path")["outputs"]["parameters"].value("out", "");
    }

    KfrunProcess kfrun;
    std::filesystem::path m_host;
};

// Finding 1: on 96eafce the step read the 0600 file into report.json and created a host file.
TEST_F(SecurityPolicy, AHostPathVolumeIsRefusedWithoutAnOptIn) {
    std::string file =
        host_path_pipeline(m_host.string(), "cat /host/secret.txt > /tmp/out; touch /host/created");
    KfrunResult result = kfrun.run(file);
    EXPECT_EQ(result.exit_code, 2) << result.output;
    EXPECT_NE(result.output.find("hostPath volume \"host\" mounts " + m_host.string() +
                                 " from the host; refused unless the command line allows it"),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("host-path.yaml:"), std::string::npos) << result.output;
    EXPECT_EQ(result.output.find("top secret"), std::string::npos) << result.output;
    EXPECT_FALSE(std::filesystem::exists(m_host / "created"));
}

TEST_F(SecurityPolicy, AllowHostPathMountsTheFolderReadOnly) {
    std::string file = host_path_pipeline(
        m_host.string(),
        "cat /host/secret.txt > /tmp/out; touch /host/created 2>/dev/null && echo -n "
        "wrote >> /tmp/out || echo -n \" read-only\" >> /tmp/out");
    KfrunResult result = kfrun.run(file, {"--allow-host-path", m_host.string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "top secret read-only");
    EXPECT_FALSE(std::filesystem::exists(m_host / "created"));
}

TEST_F(SecurityPolicy, AllowHostPathRwMountsTheFolderReadWrite) {
    std::string file = host_path_pipeline(m_host.string() + "/./", "echo -n hi > /host/created");
    KfrunResult result = kfrun.run(file, {"--allow-host-path", m_host.string() + ":rw"});
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_TRUE(std::filesystem::exists(m_host / "created"));
}

TEST_F(SecurityPolicy, AHostPathBelowAGrantIsAllowedAndDotDotOutOfItIsNot) {
    std::filesystem::create_directories(m_host / "sub");
    std::ofstream(m_host / "sub" / "f") << "below";
    KfrunResult below =
        kfrun.run(host_path_pipeline((m_host / "sub").string(), "cat /host/f > /tmp/out"),
                  {"--allow-host-path", m_host.string()});
    ASSERT_EQ(below.exit_code, 0) << below.output;
    EXPECT_EQ(out(below), "below");
    KfrunResult escaped = kfrun.run(
        host_path_pipeline((m_host / "sub" / ".." / "..").string(), "ls /host > /tmp/out"),
        {"--allow-host-path", (m_host / "sub").string()});
    EXPECT_EQ(escaped.exit_code, 2) << escaped.output;
    EXPECT_NE(escaped.output.find("refused unless the command line allows it"), std::string::npos)
        << escaped.output;
}

// A link inside the granted folder that points out of it: refused on the host after the
// links are resolved, before the container is created.
TEST_F(SecurityPolicy, ASymbolicLinkOutOfTheGrantIsRefused) {
    std::filesystem::path outside = kfrun.work_dir() / "outside";
    std::filesystem::create_directories(outside);
    std::ofstream(outside / "private") << "not yours";
    std::filesystem::create_directory_symlink(outside, m_host / "escape");
    KfrunResult result =
        kfrun.run(host_path_pipeline((m_host / "escape").string(), "cat /host/private > /tmp/out"),
                  {"--allow-host-path", m_host.string()});
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_NE(result.output.find("resolves to " + outside.string() +
                                 " on the host, outside every --allow-host-path folder"),
              std::string::npos)
        << result.output;
    EXPECT_EQ(result.output.find("not yours"), std::string::npos) << result.output;
}

TEST_F(SecurityPolicy, RunAsUserAndRunAsGroupReachTheContainer) {
    std::string file = pipeline("host-path", "echo -n $(id -u):$(id -g) > /tmp/out",
                                "      securityContext: {runAsUser: 1000, runAsGroup: 2000}\n");
    KfrunResult result = kfrun.run(file);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "1000:2000");
}

TEST_F(SecurityPolicy, ThePodsRunAsUserAppliesAndTheContainersWins) {
    std::string pod = pipeline("host-path", "echo -n $(id -u) > /tmp/out", "",
                               "    securityContext: {runAsUser: 1234}\n");
    KfrunResult result = kfrun.run(pod);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "1234");
    std::string both = pipeline("host-path", "echo -n $(id -u) > /tmp/out",
                                "      securityContext: {runAsUser: 4321}\n",
                                "    securityContext: {runAsUser: 1234}\n");
    result = kfrun.run(both);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "4321");
}

// Finding 11: on 96eafce this ran as uid 0 without a word.
TEST_F(SecurityPolicy, RunAsNonRootRefusesAnImageThatRunsAsRoot) {
    std::string file = pipeline("host-path", "echo -n ran > /tmp/out",
                                "      securityContext: {runAsNonRoot: true}\n");
    KfrunResult result = kfrun.run(file);
    EXPECT_EQ(result.exit_code, 1) << result.output;
    EXPECT_EQ(result.step("host-path")["phase"], "Error");
    EXPECT_NE(result.output.find("container has runAsNonRoot and image will run as root"),
              std::string::npos)
        << result.output;
    std::string as_user =
        pipeline("host-path", "echo -n $(id -u) > /tmp/out",
                 "      securityContext: {runAsNonRoot: true, runAsUser: 1000}\n");
    result = kfrun.run(as_user);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "1000");
}

// The root filesystem is read-only; inputs (the staged script) and outputs on a volume still
// work, as with Argo's emissary.
TEST_F(SecurityPolicy, ReadOnlyRootFilesystemIsReadOnlyAndOutputsOnAVolumeWork) {
    std::filesystem::path file = kfrun.work_dir() / "read-only.yaml";
    std::ofstream(file) << R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: read-only}
spec:
  entrypoint: main
  templates:
  - name: main
    script:
      image: busybox
      command: [sh]
      source: |
        touch /probe 2>/dev/null && echo -n writable > /out/r || echo -n read-only > /out/r
      securityContext: {readOnlyRootFilesystem: true}
      volumeMounts: [{name: out, mountPath: /out}]
    volumes: [{name: out, emptyDir: {}}]
    outputs:
      parameters:
      - {name: r, valueFrom: {path: /out/r}}
)";
    KfrunResult result = kfrun.run(file.string());
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(result.step("read-only")["outputs"]["parameters"]["r"], "read-only");
}

TEST_F(SecurityPolicy, DroppedCapabilitiesAreDropped) {
    std::string file = pipeline(
        "host-path",
        "touch /tmp/x; chown 1:1 /tmp/x 2>/dev/null && echo -n chowned > /tmp/out || echo -n "
        "denied > /tmp/out",
        "      securityContext: {capabilities: {drop: [CHOWN]}}\n");
    KfrunResult result = kfrun.run(file);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_EQ(out(result), "denied");
}

TEST_F(SecurityPolicy, AddedCapabilitiesBeyondBaselineNeedAllowPrivileged) {
    std::string file = pipeline("host-path", "echo -n ran > /tmp/out",
                                "      securityContext: {capabilities: {add: [NET_ADMIN]}}\n");
    KfrunResult refused = kfrun.run(file);
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("capability NET_ADMIN is beyond Kubernetes' baseline set"),
              std::string::npos)
        << refused.output;
    KfrunResult allowed = kfrun.run(file, {"--allow-privileged"});
    ASSERT_EQ(allowed.exit_code, 0) << allowed.output;
    EXPECT_EQ(out(allowed), "ran");
}

// `kfrun validate` refuses what `kfrun run` would refuse, and takes the same opt-ins.
TEST_F(SecurityPolicy, ValidateAppliesThePolicyAndItsOptIns) {
    std::string file = host_path_pipeline(m_host.string(), "true");
    KfrunResult refused = kfrun.exec({"validate", "--no-color", file});
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find("hostPath volume \"host\" mounts " + m_host.string() +
                                  " from the host; refused unless the command line allows it"),
              std::string::npos)
        << refused.output;
    KfrunResult granted =
        kfrun.exec({"validate", "--no-color", "--allow-host-path", m_host.string(), file});
    EXPECT_EQ(granted.exit_code, 0) << granted.output;

    std::string privileged = pipeline("privileged", "true",
                                      "      securityContext: {capabilities: {add: [NET_ADMIN]}}\n");
    EXPECT_EQ(kfrun.exec({"validate", "--no-color", privileged}).exit_code, 2);
    EXPECT_EQ(kfrun.exec({"validate", "--no-color", "--allow-privileged", privileged}).exit_code, 0);
}

// On 96eafce: "internal error: stoll", exit 70.
TEST_F(SecurityPolicy, ANonNumericRunAsUserIsABadInputWithItsPlace) {
    for (std::string value : {"abc", "-1", "2147483648", "99999999999999999999"}) {
        std::string file = pipeline("host-path", "true",
                                    "      securityContext: {runAsUser: \"" + value + "\"}\n");
        KfrunResult result = kfrun.exec({"validate", "--no-color", file});
        EXPECT_EQ(result.exit_code, 2) << result.output;
        EXPECT_NE(result.output.find("host-path.yaml:"), std::string::npos) << result.output;
        EXPECT_NE(result.output.find("`runAsUser` must be an integer from 0 to 2147483647"),
                  std::string::npos)
            << result.output;
    }
}

// Finding 8: a .kfrun.yaml found by walking up may not widen security; a named one may.
TEST_F(SecurityPolicy, AFoundProjectFileMayNotWidenSecurity) {
    std::filesystem::path project = kfrun.work_dir() / "repo";
    std::filesystem::create_directories(project / "sub");
    // A capability beyond baseline needs --allow-privileged (privileged itself cannot start
    // here: this sandbox lacks CAP_SYS_RESOURCE, which a privileged container gets).
    std::string file = pipeline("host-path", "echo -n ran > /tmp/out",
                                "      securityContext: {capabilities: {add: [NET_ADMIN]}}\n");
    std::filesystem::copy_file(KfrunProcess::fixture("fixtures/image-map.txt"),
                               project / "image-map.txt");
    std::ofstream(project / ".kfrun.yaml") << "image-map-file: image-map.txt\n"
                                           << "allow-privileged: true\n";
    std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(project / "sub");
    ::unsetenv("KFRUN_CONFIG");
    std::vector<std::string> common = {"--no-color", "--data-dir", kfrun.data_dir().string(),
                                       "--cache-dir", kfrun.cache_dir().string()};
    std::vector<std::string> args = {"run", file};
    args.insert(args.end(), common.begin(), common.end());
    KfrunResult found = kfrun.exec(args);
    EXPECT_EQ(found.exit_code, 2) << found.output;
    EXPECT_NE(found.output.find((project / ".kfrun.yaml").string() +
                                ":2: `allow-privileged` would widen what a pipeline can reach"),
              std::string::npos)
        << found.output;
    EXPECT_NE(found.output.find("--config"), std::string::npos) << found.output;
    KfrunResult shown = kfrun.exec({"config", "--no-color"});
    EXPECT_EQ(shown.exit_code, 2) << shown.output;
    EXPECT_NE(shown.output.find("found by walking up from the working folder"), std::string::npos)
        << shown.output;
    EXPECT_NE(shown.output.find("refused: "), std::string::npos) << shown.output;

    // Named on the command line or in $KFRUN_CONFIG, the same file may.
    std::vector<std::string> named = {"--config", (project / ".kfrun.yaml").string()};
    named.insert(named.end(), args.begin(), args.end());
    KfrunResult with_flag = kfrun.exec(named);
    EXPECT_EQ(with_flag.exit_code, 0) << with_flag.output;
    ::setenv("KFRUN_CONFIG", (project / ".kfrun.yaml").c_str(), 1);
    KfrunResult with_env = kfrun.exec(args);
    EXPECT_EQ(with_env.exit_code, 0) << with_env.output;
    ::unsetenv("KFRUN_CONFIG");
    std::filesystem::current_path(previous);
}

TEST_F(SecurityPolicy, AFoundProjectFileKeepsItsConveniencesAndRefusesEachWideningKey) {
    std::filesystem::path project = kfrun.work_dir() / "repo";
    std::filesystem::create_directories(project);
    std::filesystem::path previous = std::filesystem::current_path();
    std::filesystem::current_path(project);
    ::unsetenv("KFRUN_CONFIG");
    std::string file = pipeline("host-path", "true");
    auto validate_with = [&](const std::string& line) {
        std::ofstream(project / ".kfrun.yaml") << "parallelism: 3\n" << line << "\n";
        return kfrun.exec({"validate", "--no-color", file});
    };
    EXPECT_EQ(validate_with("network: bridge").exit_code, 0);
    EXPECT_EQ(validate_with("image-map-file: image-map.txt").exit_code, 0);
    for (std::string line :
         {"allow-privileged: true", "allow-host-path: /", "allow-volume: postgres-data",
          "network: host", "secrets-file: /root/secrets.yaml", "secret: {creds: /root/.ssh}",
          "config-map: {cfg: /etc}", "data-dir: /tmp/elsewhere", "cache-dir: /tmp/shared",
          "report-dir: /etc/cron.d", "run: {report-dir: /etc/cron.d}",
          "parameter-file: /etc/shadow", "image-map-file: ../../outside.txt"}) {
        KfrunResult result = validate_with(line);
        EXPECT_EQ(result.exit_code, 2) << line << "\n" << result.output;
        EXPECT_NE(result.output.find(".kfrun.yaml:2: `"), std::string::npos) << line << "\n"
                                                                             << result.output;
    }
    std::filesystem::current_path(previous);
}

}  // namespace
}  // namespace kfrun::testing
