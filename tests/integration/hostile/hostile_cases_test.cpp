// The table of bad and hostile inputs: every case file under fixtures/hostile/** runs through the
// kfrun binary (`validate`, `run --dry-run` or `run` with the fixture image map) and must end with
// its `exit` code and print each `expect` text. scripts/hostile-table.py writes
// docs/hostile-inputs.md from the same headers.
#include <gtest/gtest.h>

#include "hostile_case.hpp"
#include "kfrun_process.hpp"

namespace kfrun::testing {
namespace {

std::filesystem::path hostile_root() { return KfrunProcess::fixture("fixtures/hostile"); }

const std::vector<HostileCase>& all_cases() {
    static const std::vector<HostileCase> cases = [] {
        std::vector<std::string> ignored;
        return find_hostile_cases(hostile_root(), ignored);
    }();
    return cases;
}

std::string command_line(const std::vector<std::string>& args) {
    std::string text = "kfrun";
    for (const std::string& arg : args) {
        text += " " + arg;
    }
    return text;
}

TEST(HostileCases, EveryCaseFileIsWellFormed) {
    std::vector<std::string> problems;
    std::vector<HostileCase> cases = find_hostile_cases(hostile_root(), problems);
    EXPECT_FALSE(cases.empty()) << "no case under " << hostile_root();
    for (const std::string& problem : problems) {
        ADD_FAILURE() << problem;
    }
}

class HostileInput : public ::testing::TestWithParam<HostileCase> {};

TEST_P(HostileInput, EndsWithItsExitCodeAndMessage) {
    const HostileCase& c = GetParam();
    KfrunProcess kfrun;
    KfrunResult result;
    std::vector<std::string> shown;
    const std::string subject = c.subject.string();
    if (c.command == "run") {
        shown = {"run", subject};
        shown.insert(shown.end(), c.args.begin(), c.args.end());
        result = kfrun.run(subject, c.args);
    } else if (c.command == "dry-run") {
        std::vector<std::string> args = {"--dry-run"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        shown = {"run", subject, "--dry-run"};
        shown.insert(shown.end(), c.args.begin(), c.args.end());
        result = kfrun.run(subject, args);
    } else {
        std::vector<std::string> args = {c.command, subject, "--no-color"};
        if (c.command != "validate") {
            args.insert(args.end(), {"--data-dir", kfrun.data_dir().string(), "--cache-dir",
                                     kfrun.cache_dir().string(), "--image-map-file",
                                     KfrunProcess::fixture("fixtures/image-map.txt").string()});
        }
        args.insert(args.end(), c.args.begin(), c.args.end());
        shown = args;
        result = kfrun.exec(args);
    }
    SCOPED_TRACE(c.id + ": " + c.hostile + "\n" + command_line(shown));
    EXPECT_EQ(result.exit_code, c.exit) << result.output;
    for (const std::string& expected : c.expect) {
        EXPECT_NE(result.output.find(expected), std::string::npos)
            << "missing `" << expected << "` in:\n"
            << result.output;
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, HostileInput, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<HostileCase>& info) {
                             return hostile_test_name(info.param.id);
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(HostileInput);

}  // namespace
}  // namespace kfrun::testing
