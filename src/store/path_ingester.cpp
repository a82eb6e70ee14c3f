#include "store/path_ingester.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "store/blob_transaction.hpp"
#include "store/blob_writer.hpp"
#include "store/io_buffer.hpp"
#include "store/linked_blob.hpp"
#include "store/store_error.hpp"
#include "store/tree_builder.hpp"
#include "store/unique_fd.hpp"

namespace kfrun::store {

namespace {

struct DirCloser {
    void operator()(DIR* dir) const { ::closedir(dir); }
};

// Walks one directory through file descriptors (openat with O_NOFOLLOW), so a link is
// recorded as a link and never entered.
class DirectoryWalk {
  public:
    DirectoryWalk(const BlobLayout& layout, BlobTransaction& transaction, TreeBuilder& tree)
        : m_layout(layout), m_transaction(transaction), m_tree(tree) {}

    base::Result<void> walk(int dir_fd, const std::string& relative,
                            const std::filesystem::path& host_path);
    base::Result<StagedBlob> stage_file(int fd, const std::string& where);
    struct StoredFile {
        std::string digest;
        std::uint64_t size = 0;  // the bytes read
    };
    // Stores the file open at `fd` (`size` bytes by its stat): a file that fits the buffer is
    // published at once (publish_linked_blob), a larger one staged in `m_transaction`.
    base::Result<StoredFile> store_file(int fd, std::uint64_t size, const std::string& where);

  private:
    base::Result<void> visit(int dir_fd, const std::string& name, const std::string& relative,
                             const std::filesystem::path& host_path);

    const BlobLayout& m_layout;
    BlobTransaction& m_transaction;
    TreeBuilder& m_tree;
    IoBuffer m_buffer{std::size_t{1} << 20};  // one copy buffer for all files
};

base::Result<StagedBlob> DirectoryWalk::stage_file(int fd, const std::string& where) {
    auto writer = BlobWriter::create(m_layout);
    if (!writer) {
        return writer.error();
    }
    KFRUN_TRY(writer->write_from_fd(fd, m_buffer.span(), where));
    return writer->finish();
}

base::Result<DirectoryWalk::StoredFile> DirectoryWalk::store_file(int fd, std::uint64_t size,
                                                                  const std::string& where) {
    if (size < m_buffer.size()) {
        std::size_t filled = 0;
        while (filled < m_buffer.size()) {
            const ssize_t count = ::read(fd, m_buffer.data() + filled, m_buffer.size() - filled);
            if (count < 0) {
                if (errno == EINTR) {
                    continue;
                }
                return io_error(where, "read");
            }
            if (count == 0) {
                break;
            }
            filled += static_cast<std::size_t>(count);
            if (filled == size) {
                break;  // its whole size: the next read would only say end of file
            }
        }
        if (filled < m_buffer.size()) {
            const std::string_view bytes(m_buffer.data(), filled);
            auto published = publish_linked_blob(m_layout, bytes);
            if (!published) {
                return published.error();
            }
            if (*published) {
                return StoredFile{std::move(**published), filled};
            }
            auto staged = stage_bytes(m_layout, bytes);
            if (!staged) {
                return staged.error();
            }
            StoredFile stored{staged->digest(), filled};
            m_transaction.add(std::move(staged).value());
            return stored;
        }
        if (::lseek(fd, 0, SEEK_SET) != 0) {  // it grew: stream it from the start
            return io_error(where, "lseek");
        }
    }
    auto staged = stage_file(fd, where);
    if (!staged) {
        return staged.error();
    }
    StoredFile stored{staged->digest(), staged->size()};
    m_transaction.add(std::move(staged).value());
    return stored;
}

base::Result<void> DirectoryWalk::walk(int dir_fd, const std::string& relative,
                                       const std::filesystem::path& host_path) {
    int listing_fd = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    if (listing_fd < 0) {
        return io_error(host_path.string(), "dup");
    }
    std::unique_ptr<DIR, DirCloser> dir(::fdopendir(listing_fd));
    if (!dir) {
        ::close(listing_fd);
        return io_error(host_path.string(), "fdopendir");
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* item = ::readdir(dir.get())) {
        std::string name = item->d_name;
        if (name != "." && name != "..") {
            names.push_back(std::move(name));
        }
    }
    if (errno != 0) {
        return io_error(host_path.string(), "readdir");
    }
    dir.reset();
    for (const std::string& name : names) {
        const std::string child = relative.empty() ? name : relative + "/" + name;
        KFRUN_TRY(visit(dir_fd, name, child, host_path / name));
    }
    return base::ok();
}

base::Result<void> DirectoryWalk::visit(int dir_fd, const std::string& name,
                                        const std::string& relative,
                                        const std::filesystem::path& host_path) {
    const std::string where = host_path.string();
    struct stat info {};
    if (::fstatat(dir_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        return io_error(where, "lstat");
    }
    const std::uint32_t mode = info.st_mode & 0777;
    if (S_ISLNK(info.st_mode)) {
        std::string target(static_cast<std::size_t>(info.st_size) + 1, '\0');
        ssize_t length = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
        if (length < 0) {
            return io_error(where, "readlink");
        }
        if (static_cast<std::size_t>(length) >= target.size()) {
            return store_error(where, "link changed while being read");
        }
        target.resize(static_cast<std::size_t>(length));
        return m_tree.add_symlink(relative, std::move(target));
    }
    if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        return m_tree.add_skipped(relative);
    }
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (S_ISDIR(info.st_mode) ? O_DIRECTORY : 0);
    UniqueFd fd(::openat(dir_fd, name.c_str(), flags));
    if (!fd.valid()) {
        return io_error(where, "open");
    }
    if (S_ISDIR(info.st_mode)) {
        KFRUN_TRY(m_tree.add_directory(relative, mode));
        return walk(fd.get(), relative, host_path);
    }
    auto stored = store_file(fd.get(), static_cast<std::uint64_t>(info.st_size), where);
    if (!stored) {
        return stored.error();
    }
    return m_tree.add_file(relative, mode, std::move(stored->digest), stored->size);
}

}  // namespace

base::Result<engine::ArtifactRef> PathIngester::ingest(const std::filesystem::path& path) {
    const std::string where = path.string();
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        return io_error(where, "lstat");
    }
    if (S_ISLNK(info.st_mode)) {
        return store_error(where, "is a symlink (links are stored, never followed)");
    }
    if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        return store_error(where, "not a regular file or directory");
    }
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (S_ISDIR(info.st_mode) ? O_DIRECTORY : 0);
    UniqueFd fd(::open(path.c_str(), flags));
    if (!fd.valid()) {
        return io_error(where, "open");
    }
    BlobTransaction transaction(m_layout);
    TreeBuilder tree;
    DirectoryWalk walk(m_layout, transaction, tree);
    if (S_ISREG(info.st_mode)) {
        auto stored = walk.store_file(fd.get(), static_cast<std::uint64_t>(info.st_size), where);
        if (!stored) {
            return stored.error();
        }
        KFRUN_TRY(transaction.commit());
        return engine::ArtifactRef{engine::ArtifactRef::Kind::File, std::move(stored->digest),
                                   stored->size, 1};
    }
    KFRUN_TRY(walk.walk(fd.get(), "", path));
    auto manifest = std::move(tree).finish();
    if (!manifest) {
        return manifest.error();
    }
    return transaction.commit_tree(*manifest);
}

}  // namespace kfrun::store
