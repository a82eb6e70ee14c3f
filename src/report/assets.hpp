#pragma once
// The report page's stylesheet and script (src/report/assets/), embedded at build time.
#include <string_view>

namespace kfrun::report {

std::string_view report_css();
std::string_view report_js();

}  // namespace kfrun::report
