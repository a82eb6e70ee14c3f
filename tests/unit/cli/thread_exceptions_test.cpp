// No exception may leave a thread of the CLI (it called std::terminate: exit 134, no report,
// the run left Running): the signal watcher and the deferred history record turn one into a
// message.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "cli/deferred_run_record.hpp"
#include "cli/signal_watcher.hpp"

namespace kfrun::cli {
namespace {

TEST(DeferredRunRecord, AnExceptionInThePutIsTheProblemFinishReturns) {
    std::promise<void> entered;
    store::RunRecord record;
    record.run_id = "r1";
    DeferredRunRecord deferred(
        [&](const store::RunRecord&) -> base::Result<void> {
            entered.set_value();
            throw std::runtime_error("injected bug in put");
        },
        record, std::chrono::milliseconds(0));
    entered.get_future().wait();
    const std::optional<std::string> problem = deferred.finish();
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(*problem, "kfrun internal error: injected bug in put");
}

TEST(SignalWatcher, AnExceptionInTheHandlerDoesNotEndTheProcess) {
    std::atomic<bool> called{false};
    {
        SignalWatcher watcher([&](const std::string&) {
            called = true;
            throw std::runtime_error("injected bug in the signal handler");
        });
        ASSERT_EQ(kill(getpid(), SIGTERM), 0);
        // Waits for the watcher (no time limit is asserted; ctest's timeout bounds a hang).
        while (!called.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_TRUE(watcher.signalled());
    }
    EXPECT_TRUE(called.load());
}

}  // namespace
}  // namespace kfrun::cli
