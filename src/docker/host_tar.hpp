#pragma once
// HostTar: a tar stream of a host file or directory tree, produced as it is read (libarchive),
// for PUT /containers/{id}/archive when the daemon cannot bind-mount this host's paths.
// Entries: first `parents` (directories, 0755, root-owned, in order), then the tree at
// `host_path` named `name` (with `name/...` below it). Links are stored as links, never
// followed; owners and modes are kept as on the host. Memory does not grow with the size.
#include <filesystem>
#include <string>
#include <vector>

#include "engine/byte_source.hpp"

struct archive;
struct archive_entry;

namespace kfrun::docker {

class HostTar : public engine::ByteSource {
  public:
    HostTar(std::vector<std::string> parents, std::filesystem::path host_path, std::string name);
    HostTar(const HostTar&) = delete;
    HostTar& operator=(const HostTar&) = delete;
    ~HostTar() override;

    base::Result<std::size_t> read(char* buffer, std::size_t capacity) override;

  private:
    // Moves on by one entry or one piece of file data (into m_out); errors name the host path.
    base::Result<void> advance();
    base::Error failure(const std::string& what) const;
    static long append(struct archive* writer, void* self, const void* data, std::size_t size);

    std::vector<std::string> m_parents;
    std::filesystem::path m_host_path;
    std::string m_name;
    struct archive* m_writer = nullptr;
    struct archive* m_disk = nullptr;
    struct archive_entry* m_entry = nullptr;
    std::size_t m_next_parent = 0;
    bool m_disk_open = false;
    bool m_in_file = false;
    bool m_done = false;
    std::string m_out;
    std::size_t m_out_pos = 0;
    std::vector<char> m_chunk;
};

}  // namespace kfrun::docker
