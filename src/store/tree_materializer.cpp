#include "store/tree_materializer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <system_error>
#include <vector>

#include "base/private_files.hpp"
#include "store/blob_copy.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

bool valid_name(const std::string& name) {
    return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t slash = text.find('/', start);
        if (slash == std::string::npos) {
            slash = text.size();
        }
        parts.push_back(text.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

}  // namespace

bool link_leaves_tree(const TreeEntry& entry, const std::unordered_set<std::string>& links) {
    if (entry.target.empty() || entry.target.front() == '/') {
        return true;
    }
    std::vector<std::string> resolved = split(entry.path);
    resolved.pop_back();  // the link's own name: its target is read from its folder
    const std::vector<std::string> target = split(entry.target);
    for (std::size_t i = 0; i < target.size(); ++i) {
        const std::string& part = target[i];
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == "..") {
            if (resolved.empty()) {
                return true;  // above the tree's root
            }
            resolved.pop_back();
            continue;
        }
        resolved.push_back(part);
        bool last = true;
        for (std::size_t j = i + 1; j < target.size(); ++j) {
            last = last && (target[j].empty() || target[j] == ".");
        }
        if (!last) {
            std::string prefix;
            for (const std::string& component : resolved) {
                prefix += (prefix.empty() ? "" : "/") + component;
            }
            if (links.count(prefix) != 0) {
                return true;  // through another link: wherever that one goes
            }
        }
    }
    return false;
}

std::string link_stub_text(const std::string& target) {
    return "kfrun: this was a symbolic link to\n" + target +
           "\nwhich points outside this exported folder, so kfrun wrote this note instead of "
           "the link (the step's own containers still saw the link).\n";
}

base::Result<UniqueFd> open_directory_beneath(int root_fd, const std::string& relative,
                                              const std::string& where) {
    UniqueFd current(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
    if (!current.valid()) {
        return io_error(where, "dup");
    }
    std::size_t start = 0;
    while (start < relative.size()) {
        std::size_t slash = relative.find('/', start);
        if (slash == std::string::npos) {
            slash = relative.size();
        }
        const std::string part = relative.substr(start, slash - start);
        if (!valid_name(part)) {
            return store_error(where, "invalid path component");
        }
        int next =
            ::openat(current.get(), part.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            return io_error(where, "open directory (links are not followed)");
        }
        current.reset(next);
        start = slash + 1;
    }
    return current;
}

base::Result<int> TreeMaterializer::open_parent(int root_fd, const std::string& relative,
                                                const std::string& where) {
    if (!m_cached_fd.valid() || m_cached_path != relative) {
        m_cached_fd.reset();
        auto fd = open_directory_beneath(root_fd, relative, where);
        if (!fd) {
            return fd.error();
        }
        m_cached_fd = std::move(fd).value();
        m_cached_path = relative;
    }
    return m_cached_fd.get();
}

base::Result<void> TreeMaterializer::create_entry(const TreeEntry& entry, int parent_fd,
                                                  const std::string& name,
                                                  const std::string& where) {
    switch (entry.type) {
        case TreeEntry::Type::Directory:
            if (::mkdirat(parent_fd, name.c_str(), 0700) != 0) {
                return io_error(where, "mkdir");
            }
            return base::ok();
        case TreeEntry::Type::Symlink:
            if (m_links == LinkPolicy::StubOutside && link_leaves_tree(entry, m_link_paths)) {
                UniqueFd stub(::openat(parent_fd, name.c_str(),
                                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                       0600));
                if (!stub.valid() || !base::write_all(stub.get(), link_stub_text(entry.target)) ||
                    stub.close() != 0) {
                    return io_error(where, "write link note");
                }
                return base::ok();
            }
            if (::symlinkat(entry.target.c_str(), parent_fd, name.c_str()) != 0) {
                return io_error(where, "symlink");
            }
            return base::ok();
        case TreeEntry::Type::File:
            break;
    }
    if (!BlobLayout::is_valid_digest(entry.digest)) {
        return store_error(where, "invalid digest");
    }
    // O_EXCL: never reuse or follow anything already there.
    UniqueFd out(::openat(parent_fd, name.c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid()) {
        return io_error(where, "create");
    }
    KFRUN_TRY(copy_blob(m_layout, entry.digest, entry.size, out.get(), where));
    if (::fchmod(out.get(), mode_of(entry)) != 0) {
        return io_error(where, "fchmod");
    }
    if (out.close() != 0) {
        return io_error(where, "close");
    }
    return base::ok();
}

base::Result<void> TreeMaterializer::create_all(std::span<const TreeEntry> entries, int root_fd,
                                                const std::string& destination) {
    m_link_paths.clear();
    if (m_links == LinkPolicy::StubOutside) {
        for (const TreeEntry& entry : entries) {
            if (entry.type == TreeEntry::Type::Symlink) {
                m_link_paths.insert(entry.path);
            }
        }
    }
    for (const TreeEntry& entry : entries) {
        const std::string where = destination + "/" + entry.path;
        const std::size_t slash = entry.path.rfind('/');
        const std::string parent = slash == std::string::npos ? "" : entry.path.substr(0, slash);
        const std::string name =
            slash == std::string::npos ? entry.path : entry.path.substr(slash + 1);
        if (!valid_name(name)) {
            return store_error(where, "invalid path component");
        }
        auto parent_fd = open_parent(root_fd, parent, where);
        if (!parent_fd) {
            return parent_fd.error();
        }
        KFRUN_TRY(create_entry(entry, *parent_fd, name, where));
    }
    m_cached_fd.reset();
    // Modes last, deepest first, so a read-only directory is filled before it is locked.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        if (it->type != TreeEntry::Type::Directory) {
            continue;
        }
        const std::string where = destination + "/" + it->path;
        auto fd = open_directory_beneath(root_fd, it->path, where);
        if (!fd) {
            return fd.error();
        }
        if (::fchmod(fd->get(), mode_of(*it)) != 0) {
            return io_error(where, "fchmod");
        }
    }
    if (::fchmod(root_fd, m_links == LinkPolicy::StubOutside ? 0700 : 0755) != 0) {
        return io_error(destination, "fchmod");
    }
    return base::ok();
}

base::Result<void> TreeMaterializer::materialize(std::span<const TreeEntry> entries,
                                                 const std::filesystem::path& destination) {
    std::error_code ec;
    if (destination.has_parent_path()) {
        std::filesystem::create_directories(destination.parent_path(), ec);
        if (ec) {
            return io_error(destination.parent_path().string(), "create_directories", ec.value());
        }
    }
    const std::filesystem::path parent =
        destination.has_parent_path() ? destination.parent_path() : std::filesystem::path(".");
    UniqueFd parent_fd(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!parent_fd.valid()) {
        return io_error(parent.string(), "open");
    }
    return materialize_at(entries, parent_fd.get(), destination.filename().string(),
                          destination.string());
}

base::Result<void> TreeMaterializer::materialize_at(std::span<const TreeEntry> entries,
                                                    int parent_fd, const std::string& name,
                                                    const std::string& where) {
    if (!valid_name(name)) {
        return store_error(where, "invalid path component");
    }
    if (::mkdirat(parent_fd, name.c_str(), 0700) != 0) {
        return io_error(where, errno == EEXIST ? "create (destination exists)" : "mkdir");
    }
    UniqueFd root(
        ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    base::Result<void> result =
        root.valid() ? create_all(entries, root.get(), where) : io_error(where, "open");
    m_cached_fd.reset();
    root.reset();
    if (!result) {
        (void)base::remove_tree_at(parent_fd, name, where);
    }
    return result;
}

}  // namespace kfrun::store
