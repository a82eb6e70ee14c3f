// JUnit XML: suites, passed/failed/errored cases, the failure text with its diff, malformed files.
#include <gtest/gtest.h>

#include "harness/junit_xml.hpp"

namespace kfrun::harness {
namespace {

SuiteResult sample_suite() {
    SuiteResult suite;
    suite.name = "add";
    suite.file = "examples/add.kfrun-test.yaml";
    suite.duration = std::chrono::milliseconds(1500);
    CaseResult passed;
    passed.name = "adds";
    passed.duration = std::chrono::milliseconds(700);
    suite.cases.push_back(passed);
    CaseResult failed;
    failed.name = "fails <loudly>";
    failed.outcome = CaseResult::Outcome::Failed;
    failed.run_dirs = {"/data/runs/r1"};
    failed.checks.push_back({"output Sum", "equals", true, "", "", "t.yaml:5:9", std::nullopt});
    failed.checks.push_back({"output Text", "equals", false, "expected \"a\", got \"b\"",
                             "--- expected\n+++ actual\n@@ -1 +1 @@\n-a\n+b\n", "t.yaml:6:9",
                             std::nullopt});
    suite.cases.push_back(failed);
    CaseResult error;
    error.name = "cannot run";
    error.outcome = CaseResult::Outcome::Error;
    error.error = "c.yaml:3:3 (inputs[0]): the component needs input `a`";
    suite.cases.push_back(error);
    return suite;
}

TEST(JunitXml, SuitesCasesFailuresAndErrors) {
    SuiteResult malformed;
    malformed.name = "broken";
    malformed.file = "broken.kfrun-test.yaml";
    malformed.load_error = "broken.kfrun-test.yaml:4:5: unknown key `expects`";
    std::string xml = render_junit({sample_suite(), malformed});
    EXPECT_NE(xml.find("<testsuites name=\"kfrun test\" tests=\"4\" failures=\"1\" errors=\"2\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<testsuite name=\"add\" tests=\"3\" failures=\"1\" errors=\"1\""),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<testcase classname=\"add\" name=\"adds\" time=\"0.700\"/>"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"fails &lt;loudly&gt;\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("<failure message=\"1 of 2 checks failed\" type=\"ExpectationFailed\">"
                       "t.yaml:6:9: output Text equals\n    expected &quot;a&quot;, got "
                       "&quot;b&quot;\n    --- expected\n"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("    -a\n    +b\n</failure>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<system-out>report: /data/runs/r1/report.json\n</system-out>"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<error message=\"c.yaml:3:3 (inputs[0]): the component needs input `a`\" "
                       "type=\"CaseError\">"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("name=\"(test file)\""), std::string::npos) << xml;
    EXPECT_NE(xml.find("type=\"MalformedTestFile\""), std::string::npos) << xml;
}

TEST(JunitXml, EscapesAndDropsControlCharacters) {
    EXPECT_EQ(xml_escape("a&b<c>\"'\x01\n"), "a&amp;b&lt;c&gt;&quot;&apos;\n");
}

TEST(JunitXml, WritesBytesThatAreNotUtf8AsReplacementCharacters) {
    EXPECT_EQ(xml_escape("got x\xFFy"), "got x\xEF\xBF\xBDy");
}

TEST(CaseResults, OutcomeAndFailureText) {
    SuiteResult suite = sample_suite();
    EXPECT_EQ(outcome_of(suite.cases[1].checks), CaseResult::Outcome::Failed);
    EXPECT_EQ(outcome_of({}), CaseResult::Outcome::Passed);
    EXPECT_EQ(failure_text(suite.cases[1]),
              "t.yaml:6:9: output Text equals\n    expected \"a\", got \"b\"\n"
              "    --- expected\n    +++ actual\n    @@ -1 +1 @@\n    -a\n    +b\n");
    EXPECT_EQ(failure_text(suite.cases[2]),
              "c.yaml:3:3 (inputs[0]): the component needs input `a`\n");
}

}  // namespace
}  // namespace kfrun::harness
