// spec.onExit, {{workflow.status}} and {{workflow.failures}} (argo-semantics.md §7.2,
// checklist rows 53, 54).
#include <gtest/gtest.h>

#include <regex>

#include "support/engine_harness.hpp"
#include "support/workflow_yaml.hpp"

using kfrun::engine::NodePhase;
using kfrun::test_support::EngineHarness;
using kfrun::test_support::FakeStep;
using kfrun::test_support::workflow_yaml;

namespace {

const std::string k_with_handler = workflow_yaml(R"(
  entrypoint: main
  onExit: handler
  templates:
  - name: main
    dag:
      tasks:
      - {name: work, template: step}
  - name: step
    container: {image: busybox}
  - name: handler
    container: {image: busybox, args: ['{{workflow.status}}', '{{workflow.failures}}', '{{workflow.duration}}']}
)");

// Undoes Go's strconv.Quote for the characters a JSON text can hold.
std::string go_unquote(const std::string& quoted) {
    EXPECT_GE(quoted.size(), 2u);
    EXPECT_EQ(quoted.front(), '"');
    EXPECT_EQ(quoted.back(), '"');
    std::string out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
        char c = quoted[i];
        if (c == '\\' && i + 2 < quoted.size()) {
            char next = quoted[++i];
            out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

TEST(ExitHandler, SeesFailedAfterTheEntryFailedAndTheRunStaysFailed) {  // row 53
    EngineHarness h;
    h.runtime().on("work", FakeStep().exit(1));
    auto r = h.run(k_with_handler);
    EXPECT_EQ(r.phase("wf.onExit"), NodePhase::Succeeded);
    EXPECT_EQ(h.runtime().spec("wf.onExit").args.at(0), "Failed");
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_EQ(r.state.exit_handler, r.node("wf.onExit").index);
}

TEST(ExitHandler, SeesSucceededAfterASuccessfulEntry) {
    EngineHarness h;
    auto r = h.run(k_with_handler);
    EXPECT_EQ(h.runtime().spec("wf.onExit").args.at(0), "Succeeded");
    EXPECT_EQ(h.runtime().spec("wf.onExit").args.at(1), "\"[]\"");
    EXPECT_EQ(r.state.phase, NodePhase::Succeeded);
    EXPECT_TRUE(
        std::regex_match(h.runtime().spec("wf.onExit").args.at(2), std::regex(R"(\d+\.\d+)")))
        << h.runtime().spec("wf.onExit").args.at(2);
}

TEST(ExitHandler, AFailingHandlerFailsASuccessfulRunWithItsMessage) {  // row 53
    EngineHarness h;
    h.runtime().on("wf.onExit", FakeStep().exit(2));
    auto r = h.run(k_with_handler);
    EXPECT_EQ(r.phase("wf"), NodePhase::Succeeded);
    EXPECT_EQ(r.state.phase, NodePhase::Failed);
    EXPECT_EQ(r.state.message, "Error (exit code 2)");
}

TEST(ExitHandler, TheEntrysErrorWinsOverTheHandlersFailure) {
    EngineHarness h;
    h.runtime().fail_image("busybox", "no image");
    auto r = h.run(k_with_handler);
    EXPECT_EQ(r.state.phase, NodePhase::Error);
    // The entry's DAG has no message of its own (as in Argo), so the run says why its first
    // step errored, never what the handler did.
    EXPECT_EQ(r.node("wf").message, "");
    EXPECT_EQ(r.state.message, "work: no image");
}

TEST(ExitHandler, WorkflowFailuresListTheStepAndTheDagsAboveIt) {  // row 54
    EngineHarness h;
    h.runtime().on("work", FakeStep().exit(1));
    auto r = h.run(k_with_handler);
    std::string quoted = h.runtime().spec("wf.onExit").args.at(1);
    nlohmann::json failures = nlohmann::json::parse(go_unquote(quoted), nullptr, false);
    ASSERT_TRUE(failures.is_array()) << quoted;
    ASSERT_EQ(failures.size(), 2u) << failures.dump();
    std::map<std::string, nlohmann::json> by_name;
    for (const auto& failure : failures) {
        for (const char* key :
             {"displayName", "message", "templateName", "phase", "podName", "finishedAt"}) {
            EXPECT_TRUE(failure.contains(key)) << key << " missing in " << failure.dump();
        }
        by_name[failure.value("displayName", "")] = failure;
    }
    ASSERT_EQ(by_name.count("work"), 1u) << failures.dump();
    ASSERT_EQ(by_name.count("wf"), 1u) << failures.dump();
    const auto& step = by_name["work"];
    EXPECT_EQ(step["templateName"], "step");
    EXPECT_EQ(step["phase"], "Failed");
    EXPECT_EQ(step["message"], "Error (exit code 1)");
    EXPECT_EQ(step["podName"], r.node("wf.work").id);
    EXPECT_TRUE(std::regex_match(step["finishedAt"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
    EXPECT_EQ(by_name["wf"]["templateName"], "main");
    EXPECT_EQ(by_name["wf"]["phase"], "Failed");
}

TEST(ExitHandler, ADagHandlerRunsItsTasks) {
    EngineHarness h;
    auto r = h.run(workflow_yaml(R"(
  entrypoint: main
  onExit: handler
  templates:
  - name: main
    container: {image: busybox}
  - name: handler
    dag:
      tasks:
      - {name: notify, template: notify}
  - name: notify
    container: {image: busybox, args: ['{{workflow.status}}']}
)"));
    EXPECT_EQ(r.phase("wf.onExit.notify"), NodePhase::Succeeded) << r.describe();
    EXPECT_EQ(h.runtime().spec("notify").args, std::vector<std::string>{"Succeeded"});
}
