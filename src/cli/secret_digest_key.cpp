#include "cli/secret_digest_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "base/private_files.hpp"
#include "base/sha256.hpp"
#include "base/unique_fd.hpp"

namespace kfrun::cli {
namespace {

constexpr std::size_t k_key_bytes = 32;

base::Error key_error(const std::filesystem::path& file, const std::string& message) {
    return base::make_error(base::ErrorKind::Io, message, file.string());
}

bool is_hex_key(const std::string& text) {
    if (text.size() != 2 * k_key_bytes) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

// nullopt: there is no key file yet.
base::Result<std::optional<std::string>> read_key(int dir_fd, const std::filesystem::path& file) {
    base::UniqueFd fd(
        ::openat(dir_fd, k_secret_digest_key_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (!fd.valid()) {
        if (errno == ENOENT) {
            return std::optional<std::string>{};
        }
        return key_error(file,
                         std::string("cannot open the secret digest key: ") + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode) || info.st_nlink != 1 ||
        info.st_uid != ::geteuid() || (info.st_mode & 077) != 0) {
        return key_error(file,
                         "the secret digest key must be a private file of kfrun's user "
                         "(mode 0600, one link); remove it (cached steps with secrets "
                         "then run again)");
    }
    if (info.st_size != static_cast<off_t>(2 * k_key_bytes)) {
        return key_error(file,
                         "the secret digest key is not a file of 64 hex characters; remove "
                         "it (cached steps with secrets then run again)");
    }
    std::string text(2 * k_key_bytes, '\0');
    if (::read(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()) ||
        !is_hex_key(text)) {
        return key_error(file,
                         "the secret digest key is not 64 hex characters; remove it "
                         "(cached steps with secrets then run again)");
    }
    return std::optional<std::string>{std::move(text)};
}

}  // namespace

base::Result<std::string> load_or_create_secret_digest_key(const std::filesystem::path& cache_dir) {
    const std::filesystem::path file = cache_dir / k_secret_digest_key_file;
    auto dir = base::open_private_directory(cache_dir);
    KFRUN_TRY(dir);
    auto existing = read_key(dir->get(), file);
    KFRUN_TRY(existing);
    if (*existing) {
        return std::move(**existing);
    }
    unsigned char bytes[k_key_bytes];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        return key_error(file, "no random bytes for the secret digest key");
    }
    const std::string key = base::hex_text(bytes, sizeof bytes);
    // Written under a temp name, then linked into place: link() never replaces a key another
    // process made meanwhile (EEXIST), so every process ends up with the same key.
    const std::string temp = base::random_temp_name(k_secret_digest_key_file);
    KFRUN_TRY(base::write_file_at(dir->get(), temp, key, 0600, file.string()));
    {
        // On disk before it is linked into place: a crash never leaves an empty key.
        base::UniqueFd written(
            ::openat(dir->get(), temp.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (written.valid()) {
            ::fsync(written.get());
        }
    }
    const int linked = ::linkat(dir->get(), temp.c_str(), dir->get(), k_secret_digest_key_file, 0);
    const int link_error = errno;
    ::unlinkat(dir->get(), temp.c_str(), 0);
    if (linked != 0 && link_error != EEXIST) {
        return key_error(
            file, std::string("cannot make the secret digest key: ") + std::strerror(link_error));
    }
    ::fsync(dir->get());
    auto made = read_key(dir->get(), file);
    KFRUN_TRY(made);
    if (!*made) {
        return key_error(file, "the secret digest key vanished while it was made");
    }
    return std::move(**made);
}

}  // namespace kfrun::cli
