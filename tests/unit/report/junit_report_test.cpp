#include "report/junit_report.hpp"

#include <gtest/gtest.h>

#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(Junit, OneTestcasePerStepWithFailuresErrorsAndSkips) {
    nlohmann::json report = testing::load_json(
        testing::source_path("tests/unit/report/data/failing-branch.report.json"));
    RunFiles files("/nonexistent", nullptr);
    std::string xml = render_junit(report, files);
    EXPECT_EQ(testing::xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find("<testsuite name=\"failing-branch\" tests=\"5\" failures=\"1\" errors=\"1\" "
                       "skipped=\"1\""),
              std::string::npos)
        << xml;
    EXPECT_EQ(testing::count(xml, "<testcase classname=\"failing-branch\""), 5u);
    EXPECT_NE(xml.find("name=\"b\" time=\"0.185\">\n      <failure message=\"Error (exit code 3)\" "
                       "type=\"Failed\"><![CDATA[Error (exit code 3)\nexit code: 3"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<error message=\"output parameter `nothing`: /tmp/not-there does not exist "
                       "in the container\" type=\"Error\">"),
              std::string::npos);
    EXPECT_NE(xml.find("<skipped message=\"Omitted: depends condition not met\"/>"),
              std::string::npos);
    // The engine's logTail stands in for the missing log file.
    EXPECT_NE(xml.find("--- last log lines ---\nfailing on purpose"), std::string::npos);
    EXPECT_NE(xml.find("<property name=\"kfrun.runId\" value=\""), std::string::npos);
}

TEST(Junit, PropertiesHoldTheParameters) {
    nlohmann::json report = testing::train_evaluate_report();
    std::string xml = render_junit(report, RunFiles("/nonexistent", nullptr));
    EXPECT_EQ(testing::xml_problem(xml), "");
    EXPECT_NE(xml.find("<property name=\"parameter.learning-rates\" value=\"[0.05, 0.5, 2.0]\"/>"),
              std::string::npos);
    EXPECT_NE(xml.find("<testcase classname=\"train-evaluate\" name=\"for-loop-1(0:0.05)/train\" "
                       "time=\"0.693\"/>"),
              std::string::npos);
    EXPECT_EQ(testing::count(xml, "<testcase "), 7u);
}

TEST(Junit, HostileLogsAndNamesStayWellFormed) {
    testing::StoreFixture fixture;
    std::string evil_log =
        "ok\n]]><evil/>\x1b[31mred\x1b[0m\n\xFF\xFE bytes\n<![CDATA[ nested ]]>\n";
    for (int i = 0; i < 200; ++i) {
        evil_log += "line " + std::to_string(i) + "\n";
    }
    testing::write_file(fixture.run_dir() / "logs/x.log", evil_log);
    nlohmann::json report = testing::make_report({{{"name", "a\"<b>&'"},
                                                   {"label", "a\"<b>&' \x01"},
                                                   {"phase", "Failed"},
                                                   {"message", "bad ]]> \"quote\"\nnext line"},
                                                   {"logFile", "logs/x.log"}},
                                                  {{"phase", "Error"}},
                                                  {{"phase", "Running"}}});
    report["pipeline"]["name"] = "p<&>\"";
    report["parameters"] = {{"x\"y", "<v>"}, {"n", 3}};
    std::string xml = render_junit(report, RunFiles(fixture.run_dir(), nullptr));
    EXPECT_EQ(testing::xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find("name=\"a&quot;&lt;b&gt;&amp;&apos; \xEF\xBF\xBD\""), std::string::npos);
    EXPECT_NE(xml.find("line 199"), std::string::npos);
    EXPECT_EQ(xml.find("line 100\n"), std::string::npos);  // only the last lines
    EXPECT_NE(xml.find("did not finish (Running)"), std::string::npos);
    EXPECT_EQ(testing::count(xml, "<error "), 2u);
}

TEST(Junit, AFailedRunWithoutAFailingStepGetsARunTestcase) {
    nlohmann::json report = testing::make_report({{}});
    report["status"] = "Failed";
    report["message"] = "deadline exceeded";
    std::string xml = render_junit(report, RunFiles("/nonexistent", nullptr));
    EXPECT_EQ(testing::xml_problem(xml), "");
    EXPECT_NE(xml.find("name=\"(run)\""), std::string::npos);
    EXPECT_NE(xml.find("<error message=\"deadline exceeded\" type=\"Failed\">"), std::string::npos);
    EXPECT_NE(xml.find("tests=\"2\" failures=\"0\" errors=\"1\""), std::string::npos);
}

TEST(XmlChecker, RejectsBrokenDocuments) {
    EXPECT_NE(testing::xml_problem("<a><b></a></b>"), "");
    EXPECT_NE(testing::xml_problem("<a x=\"1\" x=\"2\"/>"), "");
    EXPECT_NE(testing::xml_problem("<a>&bogus;</a>"), "");
    EXPECT_NE(testing::xml_problem("<a><![CDATA[x</a>"), "");
    EXPECT_NE(testing::xml_problem("<a/><b/>"), "");
    EXPECT_EQ(
        testing::xml_problem("<?xml version=\"1.0\"?>\n<a x='1'>t&amp;<![CDATA[<>]]><b/></a>\n"),
        "");
}

}  // namespace
}  // namespace kfrun::report
