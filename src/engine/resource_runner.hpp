#pragma once
// ResourceRunner: resource templates run locally — KFP's VolumeOp (a PersistentVolumeClaim
// becomes a Docker volume) and VolumeSnapshotOp (a copy of one). Outputs are read from the
// object as kfrun "created" it, with kubectl's JSONPath rules.
#include <optional>
#include <string>

#include "engine/container_runtime.hpp"
#include "engine/local_resources.hpp"
#include "engine/pod_job.hpp"
#include "engine/run_options.hpp"

namespace kfrun::engine {

// The kind of a manifest ("PersistentVolumeClaim", "TFJob", ...) and whether kfrun can create
// it locally. An empty kind when the manifest cannot be read.
struct ResourceKind {
    std::string kind;
    std::string api_version;
    bool supported = false;
};
ResourceKind resource_kind(const std::string& manifest);

class ResourceRunner {
public:
    ResourceRunner(ContainerRuntime& runtime, LocalResources& resources, const RunOptions& options)
        : m_runtime(runtime), m_resources(resources), m_options(options) {}

    PodResult run(const PodJob& job);

private:
    base::Result<nlohmann::json> act(const ResourceCall& call, nlohmann::json object);

    ContainerRuntime& m_runtime;
    LocalResources& m_resources;
    const RunOptions& m_options;
};

}  // namespace kfrun::engine
