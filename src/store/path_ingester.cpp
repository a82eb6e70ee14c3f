#include "store/path_ingester.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

// A walk deeper than this is refused (the walk recurses once a level).
constexpr std::size_t k_max_depth = 1000;

// Opens `name` (relative to `dir_fd`, or a path with AT_FDCWD) for reading. The entry is first
// opened O_PATH (no device's or FIFO's open is called, no link followed unless `follow`) and
// checked to be a regular file or a directory, then reopened through /proc/self/fd: the same
// inode, so a swap after the check (a FIFO that would block, a device) changes nothing.
// `info` gets its stat. An entry of another type is an error naming `where`; a link is
// `link_error`.
const std::string k_link_error = "is a symlink (links are stored, never followed)";

base::Result<UniqueFd> open_checked(int dir_fd, const char* name, bool follow, struct stat& info,
                                    const std::string& where,
                                    const std::string& link_error = k_link_error) {
    UniqueFd path_fd(::openat(dir_fd, name, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW)));
    if (!path_fd.valid()) {
        if (errno == ELOOP) {
            return store_error(where, link_error);
        }
        return io_error(where, "open");
    }
    if (::fstat(path_fd.get(), &info) != 0) {
        return io_error(where, "fstat");
    }
    if (S_ISLNK(info.st_mode)) {
        return store_error(where, link_error);
    }
    if (!S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        return store_error(where, "not a regular file or directory");
    }
    const std::string proc = "/proc/self/fd/" + std::to_string(path_fd.get());
    UniqueFd fd(
        ::open(proc.c_str(), O_RDONLY | O_CLOEXEC | (S_ISDIR(info.st_mode) ? O_DIRECTORY : 0)));
    if (!fd.valid()) {
        return io_error(where, "open");
    }
    return fd;
}

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
    struct stat opened {};
    auto fd = open_checked(dir_fd, name.c_str(), false, opened, where);
    if (!fd) {
        return fd.error();
    }
    if ((opened.st_mode & S_IFMT) != (info.st_mode & S_IFMT)) {
        return store_error(where, "changed while being read");
    }
    if (S_ISDIR(info.st_mode)) {
        if (static_cast<std::size_t>(std::count(relative.begin(), relative.end(), '/')) + 1 >=
            k_max_depth) {
            return store_error(where,
                               "is nested deeper than " + std::to_string(k_max_depth) + " folders");
        }
        KFRUN_TRY(m_tree.add_directory(relative, mode));
        return walk(fd->get(), relative, host_path);
    }
    auto stored = store_file(fd->get(), static_cast<std::uint64_t>(opened.st_size), where);
    if (!stored) {
        return stored.error();
    }
    return m_tree.add_file(relative, mode, std::move(stored->digest), stored->size);
}

}  // namespace

base::Result<engine::ArtifactRef> PathIngester::ingest(const std::filesystem::path& path) {
    struct stat info {};
    auto fd = open_checked(AT_FDCWD, path.c_str(), false, info, path.string());
    if (!fd) {
        return fd.error();
    }
    return ingest_open(std::move(fd).value(), path);
}

base::Result<engine::ArtifactRef> PathIngester::ingest_beneath(const std::filesystem::path& root,
                                                               const std::string& relative) {
    std::vector<std::string> parts;
    for (const auto& part : std::filesystem::path(relative)) {
        const std::string text = part.string();
        if (text == "..") {
            return store_error(root.string() + "/" + relative,
                               "a `..` component leaves the folder");
        }
        if (!text.empty() && text != "." && text != "/") {
            parts.push_back(text);
        }
    }
    struct stat info {};
    if (parts.empty()) {  // the folder (or file) itself, as the user named it: links followed
        auto fd = open_checked(AT_FDCWD, root.c_str(), true, info, root.string());
        if (!fd) {
            return fd.error();
        }
        return ingest_open(std::move(fd).value(), root);
    }
    std::filesystem::path where = root;
    UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir.valid()) {
        return io_error(root.string(), "open");
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
        where /= parts[i];
        UniqueFd next(
            ::openat(dir.get(), parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!next.valid()) {
            if (errno == ELOOP || errno == ENOTDIR) {
                return store_error(where.string(), "is a symlink or not a directory (links below " +
                                                       root.string() + " are not followed)");
            }
            return io_error(where.string(), "open");
        }
        dir = std::move(next);
    }
    where /= parts.back();
    auto fd = open_checked(dir.get(), parts.back().c_str(), false, info, where.string(),
                           "is a symlink (links below " + root.string() + " are not followed)");
    if (!fd) {
        return fd.error();
    }
    return ingest_open(std::move(fd).value(), where);
}

base::Result<engine::ArtifactRef> PathIngester::ingest_open(UniqueFd fd,
                                                            const std::filesystem::path& path) {
    const std::string where = path.string();
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        return io_error(where, "fstat");
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
    if (!S_ISDIR(info.st_mode)) {
        return store_error(where, "not a regular file or directory");
    }
    KFRUN_TRY(walk.walk(fd.get(), "", path));
    auto manifest = std::move(tree).finish();
    if (!manifest) {
        return manifest.error();
    }
    return transaction.commit_tree(*manifest);
}

}  // namespace kfrun::store
