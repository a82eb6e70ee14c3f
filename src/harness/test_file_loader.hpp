#pragma once
// Loads a test file (YAML) into a TestSuite. Any mistake is an Input error naming
// file:line:col — unknown keys included, so a typo cannot silently drop a check.
#include <filesystem>
#include <string>

#include "base/result.hpp"
#include "harness/test_file.hpp"

namespace kfrun::harness {

base::Result<TestSuite> load_test_file(const std::filesystem::path& file);
// `file` names the test file (relative paths in it resolve against its folder).
base::Result<TestSuite> load_test_text(const std::string& text, const std::filesystem::path& file);

}  // namespace kfrun::harness
