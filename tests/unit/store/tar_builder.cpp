#include "tar_builder.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <stdexcept>
#include <vector>

namespace kfrun::store::testing {

namespace {

la_ssize_t append(archive*, void* client, const void* buffer, std::size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

void check(archive* writer, int status, const char* what) {
    if (status < ARCHIVE_WARN) {
        const char* message = archive_error_string(writer);
        throw std::runtime_error(std::string(what) + ": " + (message ? message : "failed"));
    }
}

archive* new_writer() {
    archive* writer = archive_write_new();
    archive_write_set_format_pax_restricted(writer);
    archive_write_set_bytes_in_last_block(writer, 1);
    return writer;
}

}  // namespace

TarBuilder::TarBuilder() : m_writer(new_writer()) {
    check(m_writer, archive_write_open(m_writer, &m_bytes, nullptr, append, nullptr), "open");
}

TarBuilder::~TarBuilder() {
    archive_write_free(m_writer);
}

void TarBuilder::header(std::string_view name, mode_t type, mode_t mode, std::int64_t size,
                        std::string_view link, bool hard) {
    archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, std::string(name).c_str());
    if (!hard) {
        archive_entry_set_filetype(entry, type);
        archive_entry_set_perm(entry, mode);
    }
    archive_entry_set_size(entry, size);
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (type == AE_IFLNK) {
        archive_entry_copy_symlink(entry, std::string(link).c_str());
    }
    if (hard) {
        archive_entry_copy_hardlink(entry, std::string(link).c_str());
    }
    if (type == AE_IFCHR) {
        archive_entry_set_rdev(entry, makedev(1, 3));
    }
    check(m_writer, archive_write_header(m_writer, entry), "write header");
    archive_entry_free(entry);
}

TarBuilder& TarBuilder::directory(std::string_view name, mode_t mode) {
    header(name, AE_IFDIR, mode, 0, {}, false);
    return *this;
}

TarBuilder& TarBuilder::file(std::string_view name, std::string_view content, mode_t mode) {
    header(name, AE_IFREG, mode, static_cast<std::int64_t>(content.size()), {}, false);
    if (!content.empty() && archive_write_data(m_writer, content.data(), content.size()) !=
                                static_cast<la_ssize_t>(content.size())) {
        throw std::runtime_error("archive_write_data failed");
    }
    return *this;
}

TarBuilder& TarBuilder::symlink(std::string_view name, std::string_view target) {
    header(name, AE_IFLNK, 0777, 0, target, false);
    return *this;
}

TarBuilder& TarBuilder::hardlink(std::string_view name, std::string_view existing) {
    header(name, AE_IFREG, 0644, 0, existing, true);
    return *this;
}

TarBuilder& TarBuilder::fifo(std::string_view name) {
    header(name, AE_IFIFO, 0644, 0, {}, false);
    return *this;
}

TarBuilder& TarBuilder::char_device(std::string_view name) {
    header(name, AE_IFCHR, 0644, 0, {}, false);
    return *this;
}

std::string TarBuilder::finish() {
    check(m_writer, archive_write_close(m_writer), "close");
    return m_bytes;
}

void write_large_tar(const std::filesystem::path& tar_path, std::string_view name,
                     std::uint64_t size, const std::function<void(char*, std::size_t)>& fill) {
    archive* writer = new_writer();
    check(writer, archive_write_open_filename(writer, tar_path.c_str()), "open file");
    archive_entry* entry = archive_entry_new();
    archive_entry_copy_pathname(entry, std::string(name).c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(size));
    check(writer, archive_write_header(writer, entry), "write header");
    archive_entry_free(entry);
    std::vector<char> buffer(1 << 20);
    for (std::uint64_t done = 0; done < size;) {
        std::size_t count =
            static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - done));
        fill(buffer.data(), count);
        if (archive_write_data(writer, buffer.data(), count) != static_cast<la_ssize_t>(count)) {
            throw std::runtime_error("archive_write_data failed");
        }
        done += count;
    }
    check(writer, archive_write_close(writer), "close");
    archive_write_free(writer);
}

}  // namespace kfrun::store::testing
