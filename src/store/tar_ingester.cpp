#include "store/tar_ingester.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include "store/blob_transaction.hpp"
#include "store/blob_writer.hpp"
#include "store/io_buffer.hpp"
#include "store/store_error.hpp"
#include "store/tar_entry_path.hpp"
#include "store/tree_builder.hpp"

namespace kfrun::store {

namespace {

constexpr std::size_t k_buffer_size = 1 << 20;

struct SourceContext {
    engine::ByteSource* source = nullptr;
    IoBuffer buffer{k_buffer_size};
    std::optional<base::Error> error;  // the source's own failure, reported as is
};

la_ssize_t read_source(archive* reader, void* client, const void** out) {
    auto* context = static_cast<SourceContext*>(client);
    try {
        auto count = context->source->read(context->buffer.data(), context->buffer.size());
        if (count.ok()) {
            *out = context->buffer.data();
            return static_cast<la_ssize_t>(*count);
        }
        context->error = count.error();
    } catch (const std::exception& e) {
        context->error = store_error("tar stream", std::string("read failed: ") + e.what());
    }
    archive_set_error(reader, EIO, "the byte source failed");
    return -1;
}

struct ArchiveFree {
    void operator()(archive* reader) const { archive_read_free(reader); }
};

const char* entry_name(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    return name != nullptr ? name : archive_entry_pathname_utf8(entry);
}

const char* link_text(archive_entry* entry) {
    const char* text = archive_entry_symlink(entry);
    return text != nullptr ? text : archive_entry_symlink_utf8(entry);
}

const char* hardlink_name(archive_entry* entry) {
    const char* name = archive_entry_hardlink(entry);
    return name != nullptr ? name : archive_entry_hardlink_utf8(entry);
}

// The state of one ingest: what has been seen, the staged blobs, the tree so far.
class TarSession {
  public:
    TarSession(const BlobLayout& layout, archive* reader, SourceContext& context)
        : m_layout(layout), m_reader(reader), m_context(context), m_transaction(layout) {}

    base::Result<engine::ArtifactRef> run();

  private:
    base::Result<void> handle(archive_entry* entry);
    base::Result<void> handle_top(archive_entry* entry, const std::string& where);
    base::Result<StagedBlob> read_data(const std::string& where);
    base::Error failure(const std::string& where) const;

    const BlobLayout& m_layout;
    archive* m_reader;
    SourceContext& m_context;
    BlobTransaction m_transaction;
    TreeBuilder m_tree;
    IoBuffer m_data{k_buffer_size};
    std::optional<std::string> m_top;
    std::optional<StagedBlob> m_file;  // set when the top-level entry is a file
};

base::Error TarSession::failure(const std::string& where) const {
    if (m_context.error) {
        return *m_context.error;
    }
    const char* message = archive_error_string(m_reader);
    return input_error(where, message != nullptr ? message : "malformed tar stream");
}

base::Result<StagedBlob> TarSession::read_data(const std::string& where) {
    auto writer = BlobWriter::create(m_layout);
    if (!writer) {
        return writer.error();
    }
    while (true) {
        la_ssize_t count = archive_read_data(m_reader, m_data.data(), m_data.size());
        if (count < 0) {
            return failure(where);
        }
        if (count == 0) {
            return writer->finish();
        }
        KFRUN_TRY(writer->write(m_data.data(), static_cast<std::size_t>(count)));
    }
}

base::Result<void> TarSession::handle_top(archive_entry* entry, const std::string& where) {
    const auto type = archive_entry_filetype(entry);
    if (hardlink_name(entry) != nullptr) {
        return input_error(where, "top-level entry is a hard link");
    }
    if (type == AE_IFDIR) {
        return base::ok();
    }
    if (type == AE_IFLNK) {
        return input_error(where, "top-level entry is a symlink");
    }
    if (type != AE_IFREG) {
        return input_error(where, "top-level entry is not a regular file or directory");
    }
    auto staged = read_data(where);
    if (!staged) {
        return staged.error();
    }
    m_file = std::move(staged).value();
    return base::ok();
}

base::Result<void> TarSession::handle(archive_entry* entry) {
    const char* raw_name = entry_name(entry);
    if (raw_name == nullptr) {
        return input_error("tar stream", "entry without a name");
    }
    const std::string where = "tar entry " + std::string(raw_name);
    auto path = TarEntryPath::parse(raw_name);
    if (!path) {
        return path.error();
    }
    const auto type = archive_entry_filetype(entry);
    const char* hardlink = hardlink_name(entry);
    if (path->top.empty()) {  // "./" itself, as `tar -C dir .` writes it
        if (type == AE_IFDIR && hardlink == nullptr) {
            return base::ok();
        }
        return input_error(where, "'.' is not a directory");
    }
    if (!m_top) {
        m_top = path->top;
        if (path->relative.empty()) {
            return handle_top(entry, where);
        }
    } else if (path->top != *m_top || m_file) {
        return input_error(where, "more than one top-level entry");
    } else if (path->relative.empty()) {
        if (type == AE_IFDIR && hardlink == nullptr) {
            return base::ok();
        }
        return input_error(where, "duplicate top-level entry");
    }
    const std::string& relative = path->relative;
    if (hardlink != nullptr) {
        auto target = TarEntryPath::parse(hardlink);
        if (!target) {
            return target.error();
        }
        if (target->top != *m_top || target->relative.empty()) {
            return input_error(where, "hard link outside the artifact");
        }
        return m_tree.add_hardlink(relative, target->relative);
    }
    const std::uint32_t mode = archive_entry_perm(entry) & 0777;
    switch (type) {
        case AE_IFDIR:
            return m_tree.add_directory(relative, mode);
        case AE_IFLNK: {
            const char* target = link_text(entry);
            return m_tree.add_symlink(relative, target != nullptr ? target : "");
        }
        case AE_IFREG: {
            auto staged = read_data(where);
            if (!staged) {
                return staged.error();
            }
            std::string digest = staged->digest();
            const std::uint64_t size = staged->size();
            m_transaction.add(std::move(staged).value());
            return m_tree.add_file(relative, mode, std::move(digest), size);
        }
        default:
            return m_tree.add_skipped(relative);  // device, fifo, socket: see README.md
    }
}

base::Result<engine::ArtifactRef> TarSession::run() {
    while (true) {
        archive_entry* entry = nullptr;
        const int status = archive_read_next_header(m_reader, &entry);
        if (status == ARCHIVE_EOF) {
            break;
        }
        if (status < ARCHIVE_WARN) {
            return failure("tar stream");
        }
        KFRUN_TRY(handle(entry));
    }
    if (!m_top) {
        return input_error("tar stream", "no entries");
    }
    if (m_file) {
        return m_transaction.commit_file(std::move(*m_file));
    }
    auto manifest = std::move(m_tree).finish();
    if (!manifest) {
        return manifest.error();
    }
    return m_transaction.commit_tree(*manifest);
}

}  // namespace

base::Result<engine::ArtifactRef> TarIngester::ingest(engine::ByteSource& source) {
    std::unique_ptr<archive, ArchiveFree> reader(archive_read_new());
    if (!reader) {
        return store_error("tar stream", "archive_read_new failed");
    }
    archive_read_support_format_tar(reader.get());
    SourceContext context;
    context.source = &source;
    if (archive_read_open(reader.get(), &context, nullptr, read_source, nullptr) != ARCHIVE_OK) {
        if (context.error) {
            return *context.error;
        }
        const char* message = archive_error_string(reader.get());
        return input_error("tar stream", message != nullptr ? message : "cannot open");
    }
    TarSession session(m_layout, reader.get(), context);
    return session.run();
}

}  // namespace kfrun::store
