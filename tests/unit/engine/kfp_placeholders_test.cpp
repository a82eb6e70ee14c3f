// KFP v2 placeholders and Kubernetes' $(VAR) expansion, as pure functions.
#include <gtest/gtest.h>

#include "engine/kfp_placeholders.hpp"

using kfrun::engine::expand_k8s_env;
using kfrun::engine::expand_k8s_variables;
using kfrun::engine::launcher_placeholder_names;
using kfrun::engine::LauncherIo;
using kfrun::engine::resolve_launcher_argv;

TEST(KfpPlaceholders, Row09_KubernetesExpansionRules) {
    std::map<std::string, std::string> vars = {{"FOO", "bar"}, {"E", ""}};
    EXPECT_EQ(expand_k8s_variables("$(FOO)", vars), "bar");
    EXPECT_EQ(expand_k8s_variables("a$$b", vars), "a$b");
    EXPECT_EQ(expand_k8s_variables("$$(FOO)", vars), "$(FOO)");
    EXPECT_EQ(expand_k8s_variables("$(NOPE)-$(E)-$", vars), "$(NOPE)--$");
    EXPECT_EQ(expand_k8s_variables("$(unclosed", vars), "$(unclosed");
    auto env = expand_k8s_env({{"A", "x"}, {"B", "$(A)y"}, {"C", "$(D)"}, {"D", "d"}});
    EXPECT_EQ(env[1].second, "xy");
    EXPECT_EQ(env[2].second, "$(D)") << "only variables defined before are expanded";
    auto hidden = expand_k8s_env({{"TOKEN", "s3cret"}, {"URL", "x?t=$(TOKEN)"}}, {"TOKEN"});
    EXPECT_EQ(hidden[1].second, "x?t=$(TOKEN)") << "a Secret's value is not copied into another";
}

TEST(KfpPlaceholders, AParameterPlaceholderWithoutAValueFailsAsTheDriverDoes) {
    LauncherIo io;
    kfrun::model::Launcher launcher;
    launcher.args = {"{{$.inputs.parameters['missing']}}"};
    auto argv = resolve_launcher_argv(launcher, io, "{}", {});
    ASSERT_FALSE(argv.ok());
    EXPECT_NE(argv.error().message.find("parameter missing not found in executor input"),
              std::string::npos);
}

TEST(KfpPlaceholders, ExpansionIsOffWhenTheLauncherSaysSo) {
    LauncherIo io;
    kfrun::model::Launcher launcher;
    launcher.args = {"$(FOO)", "a$$b"};
    launcher.expand_env = false;
    auto argv = resolve_launcher_argv(launcher, io, "{}", {{"FOO", "bar"}});
    ASSERT_TRUE(argv.ok());
    EXPECT_EQ(argv->argv, (std::vector<std::string>{"$(FOO)", "a$$b"}));
}

TEST(KfpPlaceholders, NamesForTheValidatorIncludeBothIfPresentBranches) {
    auto names = launcher_placeholder_names(
        R"({"IfPresent": {"InputName": "a", "Then": ["{{$.inputs.artifacts['a'].path}}"], "Else": {"Concat": ["{{$.outputs.parameters['y'].output_file}}"]}}})");
    ASSERT_TRUE(names.ok());
    EXPECT_EQ(*names, (std::vector<std::string>{"inputs.any.a", "inputs.artifacts.a",
                                                "outputs.parameters.y"}));
    auto bad = launcher_placeholder_names(R"({"IfPresent": {"Then": "x"}})");
    EXPECT_FALSE(bad.ok());
    auto item = launcher_placeholder_names(R"({"Concat": [1]})");
    EXPECT_FALSE(item.ok());
}
