// SshChild as a real process (sh standing in for the ssh client): what it inherits from kfrun.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "docker/ssh_dial.hpp"

namespace kfrun::docker {
namespace {

std::string read_to_end(int fd) {
    std::string text;
    char buffer[256];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0) {
            ADD_FAILURE() << "read from the child failed";
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

TEST(SshChild, InheritsNoDescriptorOfKfrunsButItsStdio) {
    // A ControlPersist master outlives kfrun: it must not keep what kfrun had open, such as an
    // Asio socket to a daemon (not close-on-exec) held by another thread.
    const int kept = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(kept, 0);
    const int high = ::fcntl(kept, F_DUPFD, 200);
    ASSERT_GE(high, 200);
    auto child = SshChild::spawn(
        {"sh", "-c",
         "for n in 3 " + std::to_string(high) +
             "; do if [ -e /proc/$$/fd/$n ]; then printf 'inherited %s;' $n; fi; done; "
             "printf done"});
    ::close(kept);
    ::close(high);
    ASSERT_TRUE(child.ok()) << child.error().to_string();
    const int fd = child->release_fd();
    EXPECT_EQ(read_to_end(fd), "done");
    ::close(fd);
}

}  // namespace
}  // namespace kfrun::docker
