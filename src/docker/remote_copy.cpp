#include "docker/remote_copy.hpp"

#include <filesystem>

#include "docker/host_tar.hpp"

namespace kfrun::docker {

base::Result<void> copy_into_container(const DockerClient& client, const std::string& id,
                                       const std::vector<InputBind>& copies,
                                       const std::string& where) {
    for (const InputBind& copy : copies) {
        const std::filesystem::path target =
            std::filesystem::path(copy.container_path).lexically_normal();
        const std::string leaf = target.filename().string();
        if (!target.is_absolute() || leaf.empty() || leaf == "..") {
            return base::make_error(base::ErrorKind::Input,
                                    "cannot copy to \"" + copy.container_path + "\"", where);
        }
        // The deepest existing directory above the target; the rest is made by the archive.
        std::filesystem::path existing = target.parent_path();
        std::vector<std::string> missing;
        while (true) {
            auto stat = client.stat_path(id, existing.string());
            if (!stat.ok()) {
                return stat.error();
            }
            if (stat->has_value()) {
                if (!(*stat)->is_directory() && !(*stat)->is_symlink()) {
                    return base::make_error(base::ErrorKind::Input,
                                            existing.string() + " is a file in the image; " +
                                                copy.container_path + " cannot be made under it",
                                            where);
                }
                break;
            }
            if (existing == existing.root_path()) {
                return base::make_error(base::ErrorKind::Docker,
                                        "the container has no root directory", where);
            }
            missing.insert(missing.begin(), existing.filename().string());
            existing = existing.parent_path();
        }
        std::vector<std::string> parents;
        std::string prefix;
        for (const auto& part : missing) {
            prefix += (prefix.empty() ? "" : "/") + part;
            parents.push_back(prefix);
        }
        HostTar tar(parents, copy.host_path, prefix.empty() ? leaf : prefix + "/" + leaf);
        KFRUN_TRY(client.put_archive(id, existing.string(), tar));
    }
    return {};
}

}  // namespace kfrun::docker
