// securityContext in the Argo loader: the fields kfrun honours, their checks (a bad runAsUser
// was `internal error: stoll`, exit 70, on 96eafce) and where errors point.
#include <gtest/gtest.h>

#include "argo/workflow_loader.hpp"

using kfrun::argo::load_workflow_text;

namespace {

std::string workflow(const std::string& container_security, const std::string& extra = "") {
    return R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf}
spec:
  entrypoint: main
)" + extra +
           R"(  templates:
  - name: main
    container:
      image: busybox
      securityContext: )" +
           container_security + "\n";
}

}  // namespace

TEST(SecurityContextLoader, ReadsTheFieldsKfrunHonours) {
    auto loaded = load_workflow_text(
        workflow("{runAsUser: 1000, runAsGroup: 0, runAsNonRoot: true, readOnlyRootFilesystem: "
                 "true, allowPrivilegeEscalation: false, capabilities: {add: [NET_BIND_SERVICE], "
                 "drop: [ALL]}, seccompProfile: {type: RuntimeDefault}}",
                 "  securityContext: {runAsUser: 7, fsGroup: 3}\n  hostNetwork: true\n"),
        "inline.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    const auto& security = loaded->templates[0].container.security;
    EXPECT_EQ(security.run_as_user, 1000);
    EXPECT_EQ(security.run_as_group, 0);
    EXPECT_EQ(security.run_as_non_root, true);
    EXPECT_EQ(security.read_only_root_filesystem, true);
    EXPECT_EQ(security.allow_privilege_escalation, false);
    EXPECT_EQ(security.capabilities_add, std::vector<std::string>{"NET_BIND_SERVICE"});
    EXPECT_EQ(security.capabilities_drop, std::vector<std::string>{"ALL"});
    EXPECT_EQ(loaded->pod_security.run_as_user, 7);
    EXPECT_TRUE(loaded->host_network);
}

TEST(SecurityContextLoader, ARunAsUserThatIsNotAnIdIsAnInputErrorWithItsLine) {
    for (std::string value : {"abc", "\"-1\"", "-1", "2147483648", "99999999999999999999",
                                     "1.5", "\"{{inputs.x}}\"", "\" 1\"", "0x10"}) {
        auto loaded = load_workflow_text(workflow("{runAsUser: " + value + "}"), "inline.yaml");
        ASSERT_FALSE(loaded.ok()) << value;
        EXPECT_EQ(loaded.error().kind, kfrun::base::ErrorKind::Input) << value;
        EXPECT_NE(
            loaded.error().message.find("`runAsUser` must be an integer from 0 to 2147483647"),
            std::string::npos)
            << loaded.error().message;
        EXPECT_NE(loaded.error().where.find("inline.yaml:10"), std::string::npos)
            << loaded.error().where;
    }
    auto group = load_workflow_text(workflow("{runAsGroup: x}"), "inline.yaml");
    ASSERT_FALSE(group.ok());
    EXPECT_NE(group.error().message.find("`runAsGroup` must be an integer"), std::string::npos);
    EXPECT_TRUE(load_workflow_text(workflow("{runAsUser: 2147483647}"), "inline.yaml").ok());
}

TEST(SecurityContextLoader, BadFlagsAndCapabilitiesAreInputErrors) {
    auto flag = load_workflow_text(workflow("{runAsNonRoot: maybe}"), "inline.yaml");
    ASSERT_FALSE(flag.ok());
    EXPECT_NE(flag.error().message.find("`runAsNonRoot` must be true or false"), std::string::npos);
    auto cap = load_workflow_text(workflow("{capabilities: {add: [\"NET_ADMIN; rm -rf /\"]}}"),
                                  "inline.yaml");
    ASSERT_FALSE(cap.ok());
    EXPECT_NE(cap.error().message.find("not a capability name"), std::string::npos);
    auto list = load_workflow_text(workflow("{capabilities: {drop: ALL}}"), "inline.yaml");
    ASSERT_FALSE(list.ok());
    EXPECT_NE(list.error().message.find("must be a list"), std::string::npos);
    auto pod =
        load_workflow_text(workflow("{}", "  securityContext: {runAsUser: root}\n"), "inline.yaml");
    ASSERT_FALSE(pod.ok());
    EXPECT_NE(pod.error().where.find("inline.yaml:6"), std::string::npos) << pod.error().where;
}
