// What a lightweight component's failed pip install means, and how a step gets its packages
// (issue 17, Build item 6; checklist row 80).
#include "engine/pip_install_hint.hpp"

#include <gtest/gtest.h>

namespace kfrun::engine {
namespace {

// The command KFP 2.14's compiler writes for a lightweight component (shortened function body).
const std::vector<std::string> k_lightweight = {
    "sh", "-c",
    "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip || python3 -m ensurepip "
    "--user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip "
    "install --quiet --no-warn-script-location 'pandas==2.0.3' && \"$0\" \"$@\"\n",
    "sh", "-c",
    "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip || python3 -m ensurepip "
    "--user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip "
    "install --quiet --no-warn-script-location 'kfp==2.14.0' '--no-deps' "
    "'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n",
    "sh", "-ec", "program_path=$(mktemp -d)\n", "def f(): pass\n", "--executor_input", "{}"};

TEST(PipInstallHint, ReadsTheRequirementsOfTheKfpPreamble) {
    std::vector<std::string> requirements = pip_requirements(k_lightweight);
    ASSERT_GE(requirements.size(), 2u);
    EXPECT_EQ(requirements[0], "pandas==2.0.3");
    EXPECT_EQ(requirements[1], "kfp==2.14.0");
}

TEST(PipInstallHint, SaysWherePackagesComeFrom) {
    EXPECT_EQ(package_source(k_lightweight, false), PackageSource::Index);
    EXPECT_EQ(package_source(k_lightweight, true), PackageSource::Wheelhouse);
    EXPECT_EQ(package_source({"python3", "-m", "kfp.dsl.executor_main"}, true),
              PackageSource::Image);
}

TEST(PipInstallHint, NamesPackageVersionAndWheelhouseWhenPipFindsNothing) {  // row 80
    std::string log =
        "ERROR: Could not find a version that satisfies the requirement kfp==2.14.0 (from "
        "versions: none)\nERROR: No matching distribution found for kfp==2.14.0\n";
    auto hint = pip_failure_hint(log, false);
    ASSERT_TRUE(hint.has_value());
    EXPECT_NE(hint->find("`kfp` version 2.14.0"), std::string::npos) << *hint;
    EXPECT_NE(hint->find("--wheelhouse"), std::string::npos);
    auto in_wheelhouse = pip_failure_hint(log, true);
    ASSERT_TRUE(in_wheelhouse.has_value());
    EXPECT_NE(in_wheelhouse->find("from the --wheelhouse folder"), std::string::npos);
}

TEST(PipInstallHint, SaysWhenTheImageHasNoPip) {
    EXPECT_TRUE(pip_failure_hint("/usr/bin/python3: No module named ensurepip\n", false));
    EXPECT_FALSE(pip_failure_hint("Traceback: ValueError\n", false));
}

}  // namespace
}  // namespace kfrun::engine
