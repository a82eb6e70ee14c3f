// Every hostile or malformed tar is refused with an error and leaves nothing new in the store.
// Each case writes a regular file with fresh content before the bad entry, so a store that
// published blobs before accepting the whole stream would fail the "nothing left" check.
#include <gtest/gtest.h>

#include <functional>

#include "byte_sources.hpp"
#include "store_fixture.hpp"
#include "tar_builder.hpp"

namespace kfrun::store::testing {
namespace {

struct RejectionCase {
    std::string name;
    std::function<std::string()> tar;
    base::ErrorKind kind = base::ErrorKind::Input;
    bool fail_source = false;  // the ByteSource errors after the bytes instead of ending
};

// gtest prints the case by name instead of dumping its bytes.
void PrintTo(const RejectionCase& test_case, std::ostream* out) {
    *out << test_case.name;
}

std::string truncated(std::string bytes) {
    bytes.resize(512 + 300);  // the header and part of the first file's data
    return bytes;
}

const std::vector<RejectionCase>& cases() {
    static const std::vector<RejectionCase> all = {
        {"AbsoluteName",
         [] {
             return TarBuilder()
                 .directory("out/")
                 .file("out/a", "abs-1")
                 .file("/etc/x", "e")
                 .finish();
         }},
        {"DotDotComponent",
         [] {
             return TarBuilder()
                 .directory("out/")
                 .file("out/a", "dd-1")
                 .file("out/../x", "e")
                 .finish();
         }},
        {"DotDotInsideAName",
         [] { return TarBuilder().file("out/a", "dd-2").file("out/b/../../x", "e").finish(); }},
        {"EntryBelowASymlink",
         [] {
             return TarBuilder()
                 .directory("out/")
                 .file("out/a", "below-1")
                 .symlink("out/x", "/")
                 .file("out/x/etc/passwd", "root::0:0")
                 .finish();
         }},
        {"DirectoryBelowASymlink",
         [] {
             return TarBuilder()
                 .file("out/a", "below-2")
                 .symlink("out/x", "/tmp")
                 .directory("out/x/d/")
                 .finish();
         }},
        {"EntryBelowAFile",
         [] { return TarBuilder().file("out/a", "below-3").file("out/a/b", "e").finish(); }},
        {"TopLevelSymlink", [] { return TarBuilder().symlink("out", "/etc").finish(); }},
        {"TopLevelSymlinkWithChildren",
         [] { return TarBuilder().symlink("out", "/etc").file("out/passwd", "top-1").finish(); }},
        {"TopLevelFifo", [] { return TarBuilder().fifo("out").finish(); }},
        {"TopLevelCharDevice", [] { return TarBuilder().char_device("out").finish(); }},
        {"TopLevelHardLink", [] { return TarBuilder().hardlink("out", "elsewhere").finish(); }},
        {"TwoTopLevelEntries",
         [] { return TarBuilder().file("a", "two-1").file("b", "two-2").finish(); }},
        {"EntriesAfterATopLevelFile",
         [] { return TarBuilder().file("out", "two-3").file("out/x", "e").finish(); }},
        {"HardLinkToMissingEntry",
         [] {
             return TarBuilder().file("out/a", "hl-1").hardlink("out/b", "out/nothing").finish();
         }},
        {"HardLinkOutsideTheArtifact",
         [] { return TarBuilder().file("out/a", "hl-2").hardlink("out/b", "other/a").finish(); }},
        {"HardLinkToADirectory",
         [] {
             return TarBuilder()
                 .directory("out/d/")
                 .file("out/a", "hl-3")
                 .hardlink("out/b", "out/d")
                 .finish();
         }},
        {"DuplicateFile",
         [] { return TarBuilder().file("out/a", "dup-1").file("out/a", "dup-2").finish(); }},
        {"FileOverDirectory",
         [] {
             return TarBuilder()
                 .directory("out/d/")
                 .file("out/a", "dup-3")
                 .file("out/d", "e")
                 .finish();
         }},
        {"TruncatedStream",
         [] { return truncated(TarBuilder().file("out/a", std::string(2000, 't')).finish()); }},
        {"NotATar", [] { return std::string(4096, 'z'); }},
        {"EmptyStream", [] { return std::string(); }},
        {"OnlyEndOfArchive", [] { return TarBuilder().finish(); }},
        {"SourceFailsMidway",
         [] { return truncated(TarBuilder().file("out/a", std::string(2000, 's')).finish()); },
         base::ErrorKind::Docker, true},
    };
    return all;
}

class TarRejection : public StoreTest, public ::testing::WithParamInterface<RejectionCase> {};

TEST_P(TarRejection, FailsAndLeavesNothingInTheStore) {
    // Something already stored must survive a failed ingest untouched.
    auto existing = m_store->ingest_bytes("already here");
    ASSERT_TRUE(existing.ok());
    const std::set<std::string> before = store_contents();

    const RejectionCase& test_case = GetParam();
    std::string bytes = test_case.tar();
    std::unique_ptr<engine::ByteSource> source;
    if (test_case.fail_source) {
        source = std::make_unique<FailingByteSource>(std::move(bytes));
    } else {
        source = std::make_unique<StringByteSource>(std::move(bytes));
    }
    auto ref = m_store->ingest_tar(*source);
    ASSERT_FALSE(ref.ok()) << "accepted with digest " << ref->digest;
    EXPECT_EQ(ref.error().kind, test_case.kind) << ref.error().to_string();
    EXPECT_FALSE(ref.error().where.empty()) << ref.error().to_string();
    EXPECT_EQ(store_contents(), before);
    EXPECT_TRUE(m_store->contains(*existing, true));
}

INSTANTIATE_TEST_SUITE_P(Cases, TarRejection, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<RejectionCase>& info) {
                             return info.param.name;
                         });

}  // namespace
}  // namespace kfrun::store::testing
