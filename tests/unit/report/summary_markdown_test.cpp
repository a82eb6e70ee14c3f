#include "report/summary_markdown.hpp"

#include <gtest/gtest.h>

#include "base/strings.hpp"
#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

std::vector<std::string> table_rows(const std::string& md, const std::string& header) {
    std::vector<std::string> rows;
    std::size_t at = md.find(header);
    if (at == std::string::npos) {
        return rows;
    }
    std::vector<std::string> lines = base::split(md.substr(at), '\n');
    for (std::size_t i = 2; i < lines.size() && !lines[i].empty() && lines[i][0] == '|'; ++i) {
        rows.push_back(lines[i]);
    }
    return rows;
}

// Cells of a table row, splitting on unescaped pipes.
std::size_t cell_count(const std::string& row) {
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) {
            ++pipes;
        }
    }
    return pipes - 1;
}

TEST(Summary, StatusLineStepTableAndMetrics) {
    nlohmann::json report = testing::train_evaluate_report();
    std::string md = render_summary(report);
    EXPECT_EQ(md.rfind("### \xE2\x9C\x85 train-evaluate: Succeeded\n", 0), 0u) << md;
    std::vector<std::string> steps = table_rows(md, "| | Step | Duration | Cached |");
    ASSERT_EQ(steps.size(), 7u);
    EXPECT_NE(steps[1].find("for-loop-1(0:0.05)/train"), std::string::npos);
    for (const std::string& row : steps) {
        EXPECT_EQ(cell_count(row), 4u) << row;
    }
    std::vector<std::string> metrics = table_rows(md, "| Step | Metric | Value |");
    ASSERT_EQ(metrics.size(), 5u);
    EXPECT_EQ(metrics[3], "| evaluate | best-accuracy | 99.500% |");
    EXPECT_EQ(metrics[4], "| evaluate | best-learning-rate | 0.500 |");
}

TEST(Summary, FailuresSkipsAndCacheHits) {
    nlohmann::json report = testing::load_json(
        testing::source_path("tests/unit/report/data/failing-branch.report.json"));
    std::string md = render_summary(report);
    EXPECT_EQ(md.rfind("### \xE2\x9D\x8C failing-branch: Failed", 0), 0u);
    EXPECT_NE(md.find("| \xE2\x9D\x8C | b (Failed) |"), std::string::npos);
    EXPECT_NE(md.find("| \xF0\x9F\x9B\x91 | e (Error) |"), std::string::npos);
    EXPECT_NE(md.find("| \xE2\x8F\xAD\xEF\xB8\x8F | c (Omitted) | \xE2\x80\x93 |"),
              std::string::npos);

    nlohmann::json cached = testing::make_report({{{"cache", "hit"}, {"cacheSavedMs", 61000}}, {}});
    cached["cacheSavedMs"] = 61000;
    std::string cached_md = render_summary(cached);
    EXPECT_NE(cached_md.find("Cache: 1 hit, saved 1m01s"), std::string::npos);
    EXPECT_NE(cached_md.find("| \xE2\x99\xBB\xEF\xB8\x8F saved 1m01s |"), std::string::npos);
    EXPECT_NE(cached_md.find("1 run, 1 cached"), std::string::npos);
}

TEST(Summary, EscapesPipesNewlinesAndMarkup) {
    nlohmann::json report =
        testing::make_report({{{"label", "a|b\nc <img src=x onerror=alert(1)> *x*"}}});
    report["pipeline"]["name"] = "p|q\n# heading";
    report["metrics"] = {
        {{"step", "s|t"}, {"name", "m|n"}, {"numberValue", 0.5}, {"format", "PERCENTAGE"}}};
    std::string md = render_summary(report);
    std::vector<std::string> steps = table_rows(md, "| | Step | Duration | Cached |");
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_EQ(cell_count(steps[0]), 4u) << steps[0];
    EXPECT_NE(steps[0].find("a\\|b<br>c \\<img src=x onerror=alert(1)\\> \\*x\\*"),
              std::string::npos);
    EXPECT_EQ(md.find("\n# heading"), std::string::npos);
    std::vector<std::string> metrics = table_rows(md, "| Step | Metric | Value |");
    ASSERT_EQ(metrics.size(), 1u);
    EXPECT_EQ(metrics[0], "| s\\|t | m\\|n | 50.000% |");
}

}  // namespace
}  // namespace kfrun::report
