#include "store/owner_lock.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "base/random_id.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_header = "kfrun-owner 1";
constexpr std::string_view k_suffix = ".lock";
constexpr std::string_view k_swept_suffix = ".swept";

bool valid_run_id(const std::string& id) {
    return !id.empty() && id.find('/') == std::string::npos && id != "." && id != ".." &&
           id.find('\n') == std::string::npos && id[0] != '.';
}

std::string read_all(int fd) {
    std::string text;
    char buffer[512];
    ssize_t got = 0;
    while ((got = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()))) > 0 &&
           text.size() < 4096) {
        text.append(buffer, static_cast<std::size_t>(got));
    }
    return text;
}

// Whether `path` still names the file open as `fd`.
bool same_file(int fd, const fs::path& path) {
    struct stat by_fd {};
    struct stat by_path {};
    return ::fstat(fd, &by_fd) == 0 && ::lstat(path.c_str(), &by_path) == 0 &&
           by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino;
}

}  // namespace

std::string encode_owner(const OwnerInfo& info) {
    std::string docker = info.docker_host;
    if (docker.find('\n') != std::string::npos) {
        docker.clear();
    }
    return std::string(k_header) + "\nrun " + info.run_id + "\npid " + std::to_string(info.pid) +
           "\ndocker " + docker + "\n";
}

std::optional<OwnerInfo> decode_owner(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    if (!std::getline(in, line) || line != k_header) {
        return std::nullopt;
    }
    OwnerInfo info;
    while (std::getline(in, line)) {
        if (line.rfind("run ", 0) == 0) {
            info.run_id = line.substr(4);
        } else if (line.rfind("pid ", 0) == 0) {
            info.pid = std::strtol(line.c_str() + 4, nullptr, 10);
        } else if (line.rfind("docker ", 0) == 0) {
            info.docker_host = line.substr(7);
        }
    }
    if (!valid_run_id(info.run_id)) {
        return std::nullopt;
    }
    return info;
}

OwnerLock::~OwnerLock() {
    release();
}

base::Result<OwnerLock> OwnerLock::claim(const fs::path& dir, const OwnerInfo& info) {
    if (!valid_run_id(info.run_id)) {
        return base::make_error(base::ErrorKind::Internal, "invalid run id '" + info.run_id + "'",
                                dir.string());
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return base::make_error(base::ErrorKind::Io,
                                "cannot create the run owners folder: " + ec.message(),
                                dir.string());
    }
    ::chmod(dir.c_str(), 0700);
    OwnerLock lock;
    lock.m_info = info;
    lock.m_path = dir / lock_file_name(info.run_id);
    // Written and locked under a temp name, then renamed: a sweeper never sees it unlocked.
    const fs::path temp = dir / (".claim-" + base::random_suffix(12));
    UniqueFd fd(::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (!fd.valid()) {
        return io_error(temp.string(), "creating the run's owner lock");
    }
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
        int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        return io_error(temp.string(), "locking the run's owner lock");
    }
    const std::string text = encode_owner(info);
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
        int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        return io_error(temp.string(), "writing the run's owner lock");
    }
    if (owner_alive(lock.m_path)) {
        ::unlink(temp.c_str());
        return base::make_error(base::ErrorKind::Internal,
                                "run " + info.run_id + " is already running in another process",
                                lock.m_path.string());
    }
    if (::rename(temp.c_str(), lock.m_path.c_str()) != 0) {
        int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        return io_error(lock.m_path.string(), "publishing the run's owner lock");
    }
    lock.m_fd = std::move(fd);
    return lock;
}

bool OwnerLock::owner_alive(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) {
        return false;
    }
    if (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) {
        return errno == EWOULDBLOCK;
    }
    return false;  // we got it: nobody holds it (closing fd lets go)
}

bool OwnerLock::abandoned(const fs::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd.valid()) {
        const int open_error = errno;
        // A run the sweep took care of leaves a tombstone: what appears with its label later
        // (a create the daemon finished after the sweep) is still an orphan.
        fs::path tombstone = path;
        tombstone.replace_extension(k_swept_suffix);
        struct stat info {};
        return open_error == ENOENT && path.extension() == k_suffix &&
               ::lstat(tombstone.c_str(), &info) == 0 && S_ISREG(info.st_mode);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) ||
        ::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) {
        return false;
    }
    return decode_owner(read_all(fd.get())).has_value() && same_file(fd.get(), path);
}

std::vector<OwnerLock> OwnerLock::take_abandoned(const fs::path& dir) {
    std::vector<OwnerLock> out;
    DIR* listing = ::opendir(dir.c_str());
    if (listing == nullptr) {
        return out;
    }
    std::vector<std::string> names;
    while (const dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") {
            names.push_back(std::move(name));
        }
    }
    ::closedir(listing);
    for (const std::string& name : names) {
        const fs::path path = dir / name;
        UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW));
        if (!fd.valid() || ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 ||
            !same_file(fd.get(), path)) {
            continue;  // alive, or gone meanwhile (another sweeper took it)
        }
        const bool is_lock =
            name.size() > k_suffix.size() && name[0] != '.' &&
            name.compare(name.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0;
        std::optional<OwnerInfo> info = is_lock ? decode_owner(read_all(fd.get())) : std::nullopt;
        if (!info || lock_file_name(info->run_id) != name) {
            // A claim killed before its rename, or a file that is not ours to read: no run is
            // tied to it.
            if (name.rfind(".claim-", 0) == 0) {
                ::unlink(path.c_str());
            }
            continue;
        }
        OwnerLock lock;
        lock.m_path = path;
        lock.m_info = std::move(*info);
        lock.m_fd = std::move(fd);
        out.push_back(std::move(lock));
    }
    return out;
}

void OwnerLock::release() {
    if (!m_fd.valid()) {
        return;
    }
    if (same_file(m_fd.get(), m_path)) {
        ::unlink(m_path.c_str());
    }
    m_fd.reset();
}

void OwnerLock::release_swept() {
    if (!m_fd.valid()) {
        return;
    }
    if (same_file(m_fd.get(), m_path)) {
        fs::path tombstone = m_path;
        tombstone.replace_extension(k_swept_suffix);
        if (::rename(m_path.c_str(), tombstone.c_str()) != 0) {
            ::unlink(m_path.c_str());
        }
    }
    m_fd.reset();
}

std::size_t OwnerLock::remove_tombstones(const fs::path& dir, std::chrono::hours older_than) {
    std::size_t removed = 0;
    std::error_code ec;
    const auto limit = fs::file_time_type::clock::now() - older_than;
    for (fs::directory_iterator entry(dir, ec), end; !ec && entry != end; entry.increment(ec)) {
        std::error_code entry_ec;
        if (entry->path().extension() == k_swept_suffix &&
            entry->symlink_status(entry_ec).type() == fs::file_type::regular &&
            fs::last_write_time(entry->path(), entry_ec) < limit && !entry_ec &&
            ::unlink(entry->path().c_str()) == 0) {
            ++removed;
        }
    }
    return removed;
}

}  // namespace kfrun::store
