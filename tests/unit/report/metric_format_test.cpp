#include "report/metric_format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "report/run_view.hpp"
#include "report/step_section.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(FormatMetric, PercentageIsValueTimesHundredWithThreeDecimals) {
    EXPECT_EQ(format_metric(0.9134, "PERCENTAGE"), "91.340%");
    EXPECT_EQ(format_metric(0.995, "PERCENTAGE"), "99.500%");
    EXPECT_EQ(format_metric(1, "PERCENTAGE"), "100.000%");
}

TEST(FormatMetric, RawUnspecifiedAndAbsentShowThreeDecimals) {
    EXPECT_EQ(format_metric(1.27, "RAW"), "1.270");
    EXPECT_EQ(format_metric(12, ""), "12.000");
    EXPECT_EQ(format_metric(0.81, "UNSPECIFIED"), "0.810");
}

TEST(FormatMetric, MatchesTheConformanceExamples) {
    nlohmann::json basic = testing::load_json(
        testing::source_path("fixtures/conformance/ui-metadata-examples/metrics-basic.json"));
    std::vector<std::string> shown;
    for (const auto& metric : basic["metrics"]) {
        shown.push_back(
            format_metric(metric["numberValue"].get<double>(), metric.value("format", "")));
    }
    EXPECT_EQ(shown, (std::vector<std::string>{"91.340%", "1.270", "12.000"}));
}

TEST(FormatFixed, RoundsTiesAwayFromZeroLikeJavaScript) {
    EXPECT_EQ(format_fixed(0.0625, 3), "0.063");  // printf would give 0.062
    EXPECT_EQ(format_fixed(-0.0625, 3), "-0.063");
    EXPECT_EQ(format_fixed(2.5, 0), "3");
    EXPECT_EQ(format_fixed(1.0005, 3), "1.000");  // 1.0005 is below the tie as a double
}

TEST(FormatFixed, SignsInfinitiesAndNaNLikeJavaScript) {
    EXPECT_EQ(format_fixed(-0.0, 3), "0.000");
    EXPECT_EQ(format_fixed(-0.0001, 3), "-0.000");
    EXPECT_EQ(format_fixed(-1.5, 3), "-1.500");
    EXPECT_EQ(format_fixed(std::numeric_limits<double>::quiet_NaN(), 3), "NaN");
    EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 3), "Infinity");
    EXPECT_EQ(format_fixed(-std::numeric_limits<double>::infinity(), 3), "-Infinity");
    EXPECT_EQ(format_fixed(1e21, 3), "1e+21");
    EXPECT_EQ(format_fixed(123456789.5, 3), "123456789.500");
}

TEST(MetricsTable, AcceptsSnakeCaseValuesAndShowsFormats) {
    nlohmann::json file = testing::load_json(testing::source_path(
        "fixtures/conformance/ui-metadata-examples/metrics-snake-case-and-runid.json"));
    nlohmann::json report = testing::make_report({});
    RunView run(report);
    std::string html = render_metrics_table(run, file["metrics"], false);
    EXPECT_NE(html.find("F1_macro"), std::string::npos);
    EXPECT_NE(html.find(">0.810<"), std::string::npos);
}

TEST(MetricsTable, RunTableLinksEachMetricToItsStep) {
    nlohmann::json report = testing::train_evaluate_report();
    RunView run(report);
    std::string html = render_metrics_table(run, report["metrics"], true);
    EXPECT_NE(html.find(">99.000%<"), std::string::npos);
    EXPECT_NE(html.find(">0.500<"), std::string::npos);
    EXPECT_NE(html.find("for-loop-1(0:0.05)/train</a>"), std::string::npos);
    EXPECT_EQ(testing::count(html, "<tr>"), 1 + report["metrics"].size());
}

}  // namespace
}  // namespace kfrun::report
