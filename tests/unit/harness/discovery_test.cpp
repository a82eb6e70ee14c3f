// Discovery by the documented naming pattern, and -k selection.
#include <fstream>

#include <gtest/gtest.h>

#include "harness/case_selector.hpp"
#include "harness/discovery.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::harness {
namespace {

void touch(const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << "x";
}

TEST(Discovery, NamingPattern) {
    EXPECT_TRUE(is_test_file_name("add.kfrun-test.yaml"));
    EXPECT_TRUE(is_test_file_name("add.kfrun-test.yml"));
    EXPECT_TRUE(is_test_file_name("kfrun-test.yaml"));
    EXPECT_TRUE(is_test_file_name("kfrun-test.yml"));
    EXPECT_FALSE(is_test_file_name(".kfrun-test.yaml"));
    EXPECT_FALSE(is_test_file_name("component.yaml"));
    EXPECT_FALSE(is_test_file_name("add.kfrun-test.yaml.bak"));
    EXPECT_FALSE(is_test_file_name("kfrun-tests.yaml"));
}

TEST(Discovery, FindsTestFilesRecursivelySkippingHiddenFolders) {
    test_support::TempDir dir;
    const auto& root = dir.path();
    touch(root / "a/add.kfrun-test.yaml");
    touch(root / "a/component.yaml");
    touch(root / "b/c/kfrun-test.yml");
    touch(root / ".git/x.kfrun-test.yaml");
    touch(root / "pipeline.kfrun-test.yaml");
    auto found = discover_test_files({root});
    ASSERT_TRUE(found.ok()) << found.error().to_string();
    std::vector<std::filesystem::path> expected = {root / "a/add.kfrun-test.yaml",
                                                   root / "b/c/kfrun-test.yml",
                                                   root / "pipeline.kfrun-test.yaml"};
    EXPECT_EQ(*found, expected);
}

TEST(Discovery, AFileGivenByNameIsTakenAsIsAndOnlyOnce) {
    test_support::TempDir dir;
    touch(dir.path() / "custom.yaml");
    touch(dir.path() / "x.kfrun-test.yaml");
    auto found = discover_test_files({dir.path() / "custom.yaml", dir.path(),
                                      dir.path() / "x.kfrun-test.yaml"});
    ASSERT_TRUE(found.ok());
    EXPECT_EQ(found->size(), 2u);
}

TEST(Discovery, AMissingPathIsAnInputError) {
    auto found = discover_test_files({"/nonexistent/tests"});
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().kind, base::ErrorKind::Input);
    EXPECT_EQ(found.error().where, "/nonexistent/tests");
}

TEST(CaseSelector, NoPatternSelectsEverything) {
    EXPECT_TRUE(CaseSelector().selects("suite", "case"));
}

TEST(Discovery, SuiteNameIsTheFileNameWithoutItsSuffixOrTheFolderName) {
    EXPECT_EQ(default_suite_name("/repo/hash/calculate-hash.kfrun-test.yaml"), "calculate-hash");
    EXPECT_EQ(default_suite_name("/repo/hash/hash.kfrun-test.yml"), "hash");
    EXPECT_EQ(default_suite_name("/repo/components/add/kfrun-test.yaml"), "add");
    EXPECT_EQ(default_suite_name("/repo/other.yaml"), "other");
}

TEST(CaseSelector, SubstringMatchesTheCaseIdIgnoringCase) {
    CaseSelector selector({"Hash/MD5"});
    EXPECT_TRUE(selector.selects("hash", "md5 of a file"));
    EXPECT_FALSE(selector.selects("hash", "sha256"));
    EXPECT_FALSE(selector.selects("other", "md5"));
}

TEST(CaseSelector, GlobMatchesTheIdOrTheCaseName) {
    CaseSelector selector({"*fail*"});
    EXPECT_TRUE(selector.selects("add", "fails on text"));
    EXPECT_FALSE(selector.selects("add", "adds"));
    CaseSelector by_suite({"add/*"});
    EXPECT_TRUE(by_suite.selects("add", "anything"));
    EXPECT_FALSE(by_suite.selects("hash", "anything"));
}

TEST(CaseSelector, AnyOfSeveralPatterns) {
    CaseSelector selector({"md5", "sha1"});
    EXPECT_TRUE(selector.selects("hash", "sha1"));
    EXPECT_TRUE(selector.selects("hash", "md5"));
    EXPECT_FALSE(selector.selects("hash", "sha256"));
}

}  // namespace
}  // namespace kfrun::harness
