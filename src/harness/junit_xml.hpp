#pragma once
// JUnit XML for CI (`kfrun test --junit FILE`): a <testsuite> per test file, a <testcase> per
// case (classname = the suite), <failure> with expected vs actual and the diff, <error> for a
// case that could not run, and a suite whose file is malformed as one errored <testcase>.
#include <string>
#include <vector>

#include "harness/case_result.hpp"

namespace kfrun::harness {

std::string render_junit(const std::vector<SuiteResult>& suites);
// XML-escapes text (and drops characters XML 1.0 cannot hold).
std::string xml_escape(const std::string& text);

}  // namespace kfrun::harness
