// ContainerReaper: an exception while removing a container stays on the reaper's thread as a
// problem drain() reports (it called std::terminate before), and the queue goes on.
#include "docker/container_reaper.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>

namespace kfrun::docker {
namespace {

TEST(ContainerReaper, AnExceptionWhileRemovingBecomesAProblemAndTheQueueGoesOn) {
    std::mutex mutex;
    std::vector<std::string> removed;
    ContainerReaper reaper([&](const std::string& id) -> base::Result<void> {
        if (id == "bad") {
            throw std::runtime_error("injected bug in remove");
        }
        std::lock_guard lock(mutex);
        removed.push_back(id);
        return base::ok();
    });
    reaper.remove("bad");
    reaper.remove("good");
    const std::vector<std::string> problems = reaper.drain();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("removing container bad failed: kfrun internal error: "
                               "injected bug in remove"),
              std::string::npos)
        << problems[0];
    std::lock_guard lock(mutex);
    EXPECT_EQ(removed, std::vector<std::string>{"good"});
}

}  // namespace
}  // namespace kfrun::docker
