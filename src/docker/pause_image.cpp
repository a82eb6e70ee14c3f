#include "docker/pause_image.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#ifndef KFRUN_VERSION
#define KFRUN_VERSION "0"
#endif

namespace kfrun::docker {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

base::Error archive_error(archive* writer, std::string_view what) {
    const char* text = archive_error_string(writer);
    return base::make_error(base::ErrorKind::Internal,
                            "building the pause image tar failed (" + std::string(what) +
                                "): " + (text == nullptr ? "unknown error" : text),
                            "libarchive");
}

base::Result<void> add_entry(archive* writer, const char* path, unsigned type, unsigned mode,
                             std::string_view content) {
    EntryPtr entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), path);
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), mode);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(content.size()));
    archive_entry_set_mtime(entry.get(), 0, 0);
    if (archive_write_header(writer, entry.get()) != ARCHIVE_OK) {
        return archive_error(writer, path);
    }
    if (!content.empty() && archive_write_data(writer, content.data(), content.size()) !=
                                static_cast<la_ssize_t>(content.size())) {
        return archive_error(writer, path);
    }
    return {};
}

}  // namespace

std::string default_pause_image() {
    return "kfrun/pause:" + std::string(KFRUN_VERSION) + "-" +
           std::string(pause_program_digest().substr(0, 12));
}

base::Result<std::string> pause_image_tar() {
    std::string out;
    ArchivePtr writer(archive_write_new(), archive_write_free);
    if (archive_write_set_format_pax_restricted(writer.get()) != ARCHIVE_OK ||
        archive_write_open(writer.get(), &out, nullptr, append_to_string, nullptr) != ARCHIVE_OK) {
        return archive_error(writer.get(), "open");
    }
    for (const char* dir : {"dev", "etc", "proc", "sys"}) {
        KFRUN_TRY(add_entry(writer.get(), dir, AE_IFDIR, 0755, {}));
    }
    KFRUN_TRY(add_entry(writer.get(), "pause", AE_IFREG, 0755, pause_program_bytes()));
    if (archive_write_close(writer.get()) != ARCHIVE_OK) {
        return archive_error(writer.get(), "close");
    }
    return out;
}

}  // namespace kfrun::docker
