#pragma once
// LocalResources: the Kubernetes objects a run "created" locally (PersistentVolumeClaims and
// VolumeSnapshots backed by Docker volumes), so later steps can mount and read them.
// Thread-safe: resource steps run on worker threads, pods are planned on the engine thread.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace kfrun::engine {

struct LocalObject {
    std::string volume;     // the Docker volume that holds its data
    nlohmann::json object;  // the object as kfrun "created" it (manifest + status)
};

class LocalResources {
public:
    void put_claim(const std::string& name, LocalObject claim);
    void put_snapshot(const std::string& name, LocalObject snapshot);
    void remove_claim(const std::string& name);
    std::optional<LocalObject> claim(const std::string& name) const;
    std::optional<LocalObject> snapshot(const std::string& name) const;
    // The Docker volume behind a claim name: the one a resource step created, else a volume of
    // that very name (a claim that exists outside the run, as a pre-existing PVC would).
    std::string volume_for_claim(const std::string& name) const;

private:
    mutable std::mutex m_mutex;
    std::map<std::string, LocalObject> m_claims;
    std::map<std::string, LocalObject> m_snapshots;
};

}  // namespace kfrun::engine
