// The security policy (Kubernetes' Pod Security Standard "baseline" by default) and how a
// securityContext becomes the container's settings, without Docker.
#include <gtest/gtest.h>

#include "engine/run_preflight.hpp"
#include "engine/security_policy.hpp"
#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::apply_image_user;
using kfrun::engine::check_run_options;
using kfrun::engine::ContainerSecurity;
using kfrun::engine::Diagnostic;
using kfrun::engine::find_host_path_grant;
using kfrun::engine::HostPathGrant;
using kfrun::engine::NodePhase;
using kfrun::engine::RunOptions;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::workflow_yaml;

namespace {

std::string one_container(const std::string& container_extra,
                          const std::string& template_extra = "",
                          const std::string& spec_extra = "") {
    return workflow_yaml(spec_extra + R"(
  entrypoint: main
  templates:
  - name: main
)" + template_extra + R"(
    container:
      image: busybox
      command: [sh, -c, 'true']
)" + container_extra);
}

std::vector<Diagnostic> preflight(const std::string& yaml, const RunOptions& options = {}) {
    EngineHarness h;
    return check_run_options(h.load(yaml), options);
}

std::string messages(const std::vector<Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) {
        out += d.where + ": " + d.message + "\n";
    }
    return out;
}

const char* k_host_path = R"(      volumeMounts: [{name: host, mountPath: /host}]
    volumes: [{name: host, hostPath: {path: /srv/data/in}}]
)";

}  // namespace

TEST(SecurityPolicy, AHostPathIsRefusedUnlessAGrantCoversIt) {
    auto refused = preflight(one_container(k_host_path));
    ASSERT_EQ(refused.size(), 1u) << messages(refused);
    EXPECT_EQ(refused[0].message,
              "hostPath volume \"host\" mounts /srv/data/in from the host; refused unless the "
              "command line allows it with --allow-host-path /srv/data/in (read-only) or "
              "--allow-host-path /srv/data/in:rw");
    EXPECT_NE(refused[0].where.find("spec.templates[0].volumes[0].hostPath.path"),
              std::string::npos)
        << refused[0].where;
    RunOptions options;
    options.allowed_host_paths = {HostPathGrant{"/srv/data", false}};
    EXPECT_TRUE(preflight(one_container(k_host_path), options).empty());
    options.allowed_host_paths = {HostPathGrant{"/srv/dat", false}};  // a prefix, not a parent
    EXPECT_EQ(preflight(one_container(k_host_path), options).size(), 1u);
}

TEST(SecurityPolicy, GrantsCompareWholeComponentsAfterDotDot) {
    std::vector<HostPathGrant> grants = {{"/srv/data", false}, {"/srv/data/out", true}};
    EXPECT_EQ(find_host_path_grant("/srv/data", grants), &grants[0]);
    EXPECT_EQ(find_host_path_grant("/srv/data/x/../y", grants), &grants[0]);
    EXPECT_EQ(find_host_path_grant("/srv/data/out/a", grants), &grants[1]);  // the writable one
    EXPECT_EQ(find_host_path_grant("/srv/data/../etc", grants), nullptr);
    EXPECT_EQ(find_host_path_grant("/srv/database", grants), nullptr);
    EXPECT_EQ(find_host_path_grant("srv/data", grants), nullptr);  // relative
    std::vector<HostPathGrant> root = {{"/", false}};
    EXPECT_NE(find_host_path_grant("/etc/shadow", root), nullptr);
}

TEST(SecurityPolicy, PrivilegedCapabilitiesHostNetworkAndHostPortsNeedAllowPrivileged) {
    std::string yaml = one_container(R"(      securityContext:
        privileged: true
        capabilities: {add: [NET_ADMIN, cap_chown, SYS_ADMIN], drop: [ALL]}
      ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 81}]
)",
                                     "", "  hostNetwork: true\n");
    auto refused = preflight(yaml);
    std::string text = messages(refused);
    EXPECT_EQ(refused.size(), 5u) << text;
    EXPECT_NE(text.find("spec.hostNetwork"), std::string::npos) << text;
    EXPECT_NE(text.find("this container asks to run privileged"), std::string::npos) << text;
    EXPECT_NE(text.find("capability NET_ADMIN is beyond Kubernetes' baseline set"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("capability SYS_ADMIN"), std::string::npos) << text;
    EXPECT_EQ(text.find("capability CHOWN"), std::string::npos) << text;  // in baseline
    EXPECT_NE(text.find("ports[0].hostPort"), std::string::npos) << text;
    RunOptions options;
    options.allow_privileged = true;
    EXPECT_TRUE(preflight(yaml, options).empty());
}

TEST(SecurityPolicy, InitContainersAndSidecarsAreCheckedToo) {
    std::string yaml = one_container("", R"(    initContainers:
    - {name: init, image: busybox, securityContext: {privileged: true}}
    sidecars:
    - {name: side, image: busybox, securityContext: {capabilities: {add: [SYS_PTRACE]}}}
)");
    auto refused = preflight(yaml);
    std::string text = messages(refused);
    EXPECT_EQ(refused.size(), 2u) << text;
    EXPECT_NE(text.find("initContainers[0].securityContext.privileged"), std::string::npos) << text;
    EXPECT_NE(text.find("sidecars[0].securityContext.capabilities.add[0]"), std::string::npos)
        << text;
}

TEST(SecurityPolicy, TheContainersSecurityContextWinsOverThePodsAndTheWorkflows) {
    EngineHarness h;
    auto r = h.run(one_container(R"(      securityContext:
        runAsUser: 10
        readOnlyRootFilesystem: true
        allowPrivilegeEscalation: false
        capabilities: {drop: [all, CAP_CHOWN]}
)",
                                 "    securityContext: {runAsUser: 20, runAsGroup: 30}\n",
                                 "  securityContext: {runAsGroup: 40, runAsNonRoot: true}\n"));
    ASSERT_EQ(h.runtime().steps().size(), 1u);
    const ContainerSecurity security = h.runtime().steps()[0].spec.security;  // steps() is a copy
    EXPECT_EQ(security.user, "10:30");
    EXPECT_TRUE(security.run_as_non_root);
    EXPECT_TRUE(security.read_only_root);
    EXPECT_TRUE(security.no_new_privileges);
    const std::vector<std::string> expected_drop{"ALL", "CHOWN"};
    EXPECT_EQ(security.cap_drop, expected_drop);
}

TEST(SecurityPolicy, RunAsNonRootRefusesARootImageBeforeTheStart) {
    EngineHarness h;
    auto r = h.run(one_container("      securityContext: {runAsNonRoot: true}\n"));
    EXPECT_EQ(r.phase("wf"), NodePhase::Error);
    EXPECT_NE(r.node("wf").message.find("container has runAsNonRoot and image will run as root"),
              std::string::npos)
        << r.node("wf").message;
    EXPECT_TRUE(h.runtime().steps().empty());
}

TEST(SecurityPolicy, ImageUsersAsKubeletJudgesThem) {
    auto judge = [](std::optional<std::int64_t> uid, const std::string& image_user) {
        ContainerSecurity security;
        security.run_as_non_root = true;
        security.run_as_user = uid;
        return apply_image_user(security, image_user, "main").value_or("");
    };
    EXPECT_NE(judge(std::nullopt, "").find("image will run as root"), std::string::npos);
    EXPECT_NE(judge(std::nullopt, "0:0").find("image will run as root"), std::string::npos);
    EXPECT_NE(judge(std::nullopt, "00").find("image will run as root"), std::string::npos);
    EXPECT_NE(judge(std::nullopt, "nobody").find("non-numeric user (nobody)"), std::string::npos);
    EXPECT_EQ(judge(std::nullopt, "1000:1000"), "");
    EXPECT_NE(judge(0, "1000").find("runAsUser breaks non-root policy"), std::string::npos);
    EXPECT_EQ(judge(1000, ""), "");
    ContainerSecurity group_only;
    group_only.run_as_group = 5;
    EXPECT_EQ(apply_image_user(group_only, "nobody", "main"), std::nullopt);
    EXPECT_EQ(group_only.user, "nobody:5");
}
