#include "store/tar_entry_path.hpp"

#include <gtest/gtest.h>

namespace kfrun::store {
namespace {

TEST(TarEntryPath, SplitsTopLevelComponentFromTheRest) {
    auto path = TarEntryPath::parse("out/a/b.txt");
    ASSERT_TRUE(path.ok());
    EXPECT_EQ(path->top, "out");
    EXPECT_EQ(path->relative, "a/b.txt");
}

TEST(TarEntryPath, DropsLeadingDotSlashAndEmptyComponents) {
    auto path = TarEntryPath::parse("./out//a/./b/");
    ASSERT_TRUE(path.ok());
    EXPECT_EQ(path->top, "out");
    EXPECT_EQ(path->relative, "a/b");
    auto dir = TarEntryPath::parse("out/");
    ASSERT_TRUE(dir.ok());
    EXPECT_EQ(dir->top, "out");
    EXPECT_EQ(dir->relative, "");
    auto dot = TarEntryPath::parse("./");
    ASSERT_TRUE(dot.ok());
    EXPECT_EQ(dot->top, "");
}

TEST(TarEntryPath, RejectsAbsoluteNamesAndDotDot) {
    for (const char* name : {"/etc/passwd", "out/../x", "../x", "out/a/..", ""}) {
        auto path = TarEntryPath::parse(name);
        ASSERT_FALSE(path.ok()) << name;
        EXPECT_EQ(path.error().kind, base::ErrorKind::Input) << name;
    }
}

}  // namespace
}  // namespace kfrun::store
