#include "docker/pause_image.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "base/sha256.hpp"

namespace kfrun::docker {
namespace {

TEST(PauseImage, EmbedsAStaticExecutable) {
    const auto bytes = pause_program_bytes();
    ASSERT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes.substr(0, 4),
              "\x7f"
              "ELF");
    EXPECT_EQ(base::sha256_hex(bytes), pause_program_digest());
}

TEST(PauseImage, IsTaggedWithTheProgramDigest) {
    const std::string image = default_pause_image();
    EXPECT_EQ(image.rfind("kfrun/pause:", 0), 0u);
    EXPECT_EQ(image.substr(image.size() - 12), pause_program_digest().substr(0, 12));
}

TEST(PauseImage, TarHoldsThePauseProgramAndMountPoints) {
    auto tar = pause_image_tar();
    ASSERT_TRUE(tar.ok()) << tar.error().to_string();
    std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                  archive_read_free);
    archive_read_support_format_tar(reader.get());
    ASSERT_EQ(archive_read_open_memory(reader.get(), tar->data(), tar->size()), ARCHIVE_OK);
    std::map<std::string, unsigned> modes;
    std::string pause;
    archive_entry* entry = nullptr;
    while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
        std::string name = archive_entry_pathname(entry);
        if (!name.empty() && name.back() == '/') {
            name.pop_back();
        }
        modes[name] = archive_entry_mode(entry);
        if (name == "pause") {
            pause.resize(static_cast<std::size_t>(archive_entry_size(entry)));
            ASSERT_EQ(archive_read_data(reader.get(), pause.data(), pause.size()),
                      static_cast<la_ssize_t>(pause.size()));
        }
    }
    EXPECT_EQ(modes["pause"], static_cast<unsigned>(AE_IFREG | 0755));
    EXPECT_EQ(modes["proc"], static_cast<unsigned>(AE_IFDIR | 0755));
    EXPECT_TRUE(modes.count("dev") && modes.count("sys") && modes.count("etc"));
    EXPECT_EQ(pause, pause_program_bytes());
}

}  // namespace
}  // namespace kfrun::docker
