#pragma once
// Pod volumes and env: a template's volumeMounts and env as Docker mounts and variables —
// emptyDir → a Docker volume per pod, persistentVolumeClaim → a named Docker volume that
// outlives the run, volumeClaimTemplates → a volume per run, Secret/ConfigMap → the local
// directory given for it, hostPath → a bind mount; secretKeyRef/configMapKeyRef/envFrom →
// the local values given for them.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"
#include "engine/local_resources.hpp"
#include "engine/node.hpp"
#include "engine/pod_job.hpp"
#include "engine/run_options.hpp"
#include "engine/scope.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

struct PodContext {
    const model::Workflow& workflow;
    const RunOptions& options;
    const LocalResources& resources;
    const Node& node;
    const Scope& scope;  // the pod's leaf scope
    const model::Template& tmpl;
    std::map<std::string, std::string> pod_labels;
    std::map<std::string, std::string> pod_annotations;
};

// `key.mounts` receives each mount as the cache key sees it: what is mounted, not the
// run-specific Docker volume name ("/data pvc:my-claim rw", "/tmp/x emptyDir rw").
base::Result<std::vector<VolumeMount>> plan_mounts(const std::vector<model::VolumeMount>& mounts,
                                                   const PodContext& pod, ContainerKey& key);

// The env a container gets. `key.env` receives it as the cache key sees it: a fieldRef as its
// field path, a Secret or ConfigMap value only by its digest. `secret_names` receives the names
// whose value came from a Secret, each with its source ("SECRET/KEY"). Used alike for main,
// init and sidecar containers.
base::Result<std::vector<std::pair<std::string, std::string>>> plan_env(
    const model::ContainerSpec& container, const PodContext& pod, ContainerKey& key,
    std::map<std::string, std::string>& secret_names);

}  // namespace kfrun::engine
