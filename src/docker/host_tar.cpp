#include "docker/host_tar.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstring>
#include <ctime>

namespace kfrun::docker {

HostTar::HostTar(std::vector<std::string> parents, std::filesystem::path host_path,
                 std::string name)
    : m_parents(std::move(parents)),
      m_host_path(std::move(host_path)),
      m_name(std::move(name)),
      m_writer(archive_write_new()),
      m_disk(archive_read_disk_new()),
      m_entry(archive_entry_new()),
      m_chunk(std::size_t{64} * 1024) {
    archive_write_set_format_pax_restricted(m_writer);
    archive_write_set_bytes_per_block(m_writer, 0);  // unblocked: bytes go out as they come
    archive_write_open2(m_writer, this, nullptr, &HostTar::append, nullptr, nullptr);
    archive_read_disk_set_symlink_physical(m_disk);
    archive_read_disk_set_behavior(m_disk, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL |
                                               ARCHIVE_READDISK_NO_FFLAGS |
                                               ARCHIVE_READDISK_NO_TRAVERSE_MOUNTS);
}

HostTar::~HostTar() {
    archive_entry_free(m_entry);
    archive_read_free(m_disk);
    archive_write_free(m_writer);
}

long HostTar::append(struct archive*, void* self, const void* data, std::size_t size) {
    static_cast<HostTar*>(self)->m_out.append(static_cast<const char*>(data), size);
    return static_cast<long>(size);
}

base::Error HostTar::failure(const std::string& what) const {
    const char* detail = archive_error_string(m_disk);
    if (detail == nullptr) {
        detail = archive_error_string(m_writer);
    }
    return base::make_error(base::ErrorKind::Io,
                            what + " " + m_host_path.string() + ": " +
                                (detail != nullptr ? detail : "libarchive error"),
                            "archive for the daemon");
}

base::Result<void> HostTar::advance() {
    if (m_next_parent < m_parents.size()) {
        archive_entry_clear(m_entry);
        archive_entry_set_pathname(m_entry, (m_parents[m_next_parent++] + "/").c_str());
        archive_entry_set_filetype(m_entry, AE_IFDIR);
        archive_entry_set_perm(m_entry, 0755);
        archive_entry_set_mtime(m_entry, std::time(nullptr), 0);
        if (archive_write_header(m_writer, m_entry) != ARCHIVE_OK) {
            return failure("writing a directory entry for");
        }
        return {};
    }
    if (!m_disk_open) {
        if (archive_read_disk_open(m_disk, m_host_path.c_str()) != ARCHIVE_OK) {
            return failure("cannot read");
        }
        m_disk_open = true;
    }
    if (m_in_file) {
        const auto count = archive_read_data(m_disk, m_chunk.data(), m_chunk.size());
        if (count < 0) {
            return failure("reading");
        }
        if (count == 0) {
            m_in_file = false;
            return {};
        }
        if (archive_write_data(m_writer, m_chunk.data(), static_cast<std::size_t>(count)) !=
            count) {
            return failure("writing the archive of");
        }
        return {};
    }
    archive_entry_clear(m_entry);
    const int next = archive_read_next_header2(m_disk, m_entry);
    if (next == ARCHIVE_EOF) {
        if (archive_write_close(m_writer) != ARCHIVE_OK) {
            return failure("ending the archive of");
        }
        m_done = true;
        return {};
    }
    if (next != ARCHIVE_OK && next != ARCHIVE_WARN) {
        return failure("reading");
    }
    if (archive_entry_filetype(m_entry) == AE_IFDIR) {
        archive_read_disk_descend(m_disk);
    }
    const char* pathname = archive_entry_pathname(m_entry);
    const std::string path = pathname != nullptr ? pathname : "";
    const std::string root = m_host_path.string();
    if (path.compare(0, root.size(), root) != 0) {
        return failure("unexpected entry " + path.substr(0, 256) + " under");
    }
    std::string name = m_name + path.substr(root.size());
    if (archive_entry_filetype(m_entry) == AE_IFDIR && name.back() != '/') {
        name += '/';
    }
    archive_entry_set_pathname(m_entry, name.c_str());
    archive_entry_set_uname(m_entry, nullptr);
    archive_entry_set_gname(m_entry, nullptr);
    if (archive_write_header(m_writer, m_entry) != ARCHIVE_OK) {
        return failure("writing the archive of");
    }
    m_in_file = archive_entry_filetype(m_entry) == AE_IFREG && archive_entry_size(m_entry) > 0;
    return {};
}

base::Result<std::size_t> HostTar::read(char* buffer, std::size_t capacity) {
    while (m_out_pos == m_out.size()) {
        m_out.clear();
        m_out_pos = 0;
        if (m_done) {
            return std::size_t{0};
        }
        auto moved = advance();
        if (!moved.ok()) {
            return moved.error();
        }
    }
    const std::size_t count = std::min(capacity, m_out.size() - m_out_pos);
    std::memcpy(buffer, m_out.data() + m_out_pos, count);
    m_out_pos += count;
    return count;
}

}  // namespace kfrun::docker
