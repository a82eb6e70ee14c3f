#include "report/timeline.hpp"

#include <gtest/gtest.h>

#include "report_test_support.hpp"

namespace kfrun::report {
namespace {

TEST(Timeline, TicksAreOneTwoOrFiveTimesAPowerOfTen) {
    EXPECT_EQ(timeline_tick_ms(2400), 500);
    EXPECT_EQ(timeline_tick_ms(8), 1);
    EXPECT_EQ(timeline_tick_ms(15), 2);
    EXPECT_EQ(timeline_tick_ms(90000), 20000);
}

TEST(Timeline, EachStepHasARowSplitIntoWhereTheTimeWent) {
    nlohmann::json report = testing::train_evaluate_report();
    RunView run(report);
    std::string svg = render_timeline(run);
    EXPECT_EQ(testing::count(svg, "<g class=\"tl-row"), 7u);
    EXPECT_EQ(testing::count(svg, "class=\"seg-run\""), 7u);
    EXPECT_EQ(testing::count(svg, "class=\"seg-create\""), 7u);
    EXPECT_EQ(testing::count(svg, "class=\"seg-collect\""),
              5u);  // deploy and onExit collect nothing
    EXPECT_EQ(testing::count(svg, "<a href=\"#step-"), 7u);
    EXPECT_NE(svg.find("run 146ms"), std::string::npos);  // make-dataset's runMs
    EXPECT_NE(svg.find("<ul class=\"legend\">"), std::string::npos);
}

TEST(Timeline, CachedAndSkippedStepsHaveNoSplitBar) {
    nlohmann::json report = testing::make_report(
        {{{"cache", "hit"}, {"cacheSavedMs", 4200}, {"timings", {{"runMs", 0}}}},
         {{"phase", "Omitted"},
          {"type", "Skipped"},
          {"startedAt", nullptr},
          {"finishedAt", nullptr}}});
    RunView run(report);
    std::string svg = render_timeline(run);
    EXPECT_NE(svg.find("class=\"seg-cached\""), std::string::npos);
    EXPECT_NE(svg.find("cached, saved 4.2s"), std::string::npos);
    EXPECT_NE(svg.find(">Omitted</text>"), std::string::npos);
    EXPECT_EQ(svg.find("class=\"seg-run\""), std::string::npos);
}

TEST(Timeline, NoStepsOrNoTimesIsAMessage) {
    nlohmann::json empty = testing::make_report({});
    EXPECT_NE(render_timeline(RunView(empty)).find("No steps"), std::string::npos);
    nlohmann::json report = testing::make_report({{{"startedAt", nullptr}}});
    report.erase("startedAt");
    EXPECT_NE(render_timeline(RunView(report)).find("nothing to draw"), std::string::npos);
}

}  // namespace
}  // namespace kfrun::report
