#pragma once
// PathStat: what the daemon says about a path in a container (the X-Docker-Container-Path-Stat
// header of HEAD/GET /containers/{id}/archive: base64 of {name,size,mode,mtime,linkTarget}).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kfrun::docker {

struct PathStat {
    // `mode` is a Go os.FileMode, not a POSIX st_mode: these are its type bits.
    static constexpr std::uint32_t k_mode_dir = 1U << 31;
    static constexpr std::uint32_t k_mode_symlink = 1U << 27;

    std::string name;
    std::int64_t size = 0;
    std::uint32_t mode = 0;
    std::string mtime;
    std::string link_target;  // resolved inside the container; empty unless a link

    bool is_directory() const { return (mode & k_mode_dir) != 0; }
    bool is_symlink() const { return (mode & k_mode_symlink) != 0; }
    std::uint32_t permissions() const { return mode & 0777U; }

    // Decodes the header value; nullopt when it is not base64 of a JSON object.
    static std::optional<PathStat> from_header(std::string_view value);
};

// Standard base64 (with or without '=' padding); nullopt on a character outside the alphabet.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace kfrun::docker
