#include "store/path_ingester.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "store/blob_transaction.hpp"
#include "store/blob_writer.hpp"
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

  private:
    base::Result<void> visit(int dir_fd, const std::string& name, const std::string& relative,
                             const std::filesystem::path& host_path);

    const BlobLayout& m_layout;
    BlobTransaction& m_transaction;
    TreeBuilder& m_tree;
    std::vector<char> m_buffer = std::vector<char>(1 << 20);  // one copy buffer for all files
};

base::Result<StagedBlob> DirectoryWalk::stage_file(int fd, const std::string& where) {
    auto writer = BlobWriter::create(m_layout);
    if (!writer) {
        return writer.error();
    }
    KFRUN_TRY(writer->write_from_fd(fd, m_buffer, where));
    return writer->finish();
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
    auto staged = stage_file(fd.get(), where);
    if (!staged) {
        return staged.error();
    }
    std::string digest = staged->digest();
    const std::uint64_t size = staged->size();
    m_transaction.add(std::move(staged).value());
    return m_tree.add_file(relative, mode, std::move(digest), size);
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
        auto staged = walk.stage_file(fd.get(), where);
        if (!staged) {
            return staged.error();
        }
        return transaction.commit_file(std::move(staged).value());
    }
    KFRUN_TRY(walk.walk(fd.get(), "", path));
    auto manifest = std::move(tree).finish();
    if (!manifest) {
        return manifest.error();
    }
    return transaction.commit_tree(*manifest);
}

}  // namespace kfrun::store
