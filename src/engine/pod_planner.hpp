#pragma once
// PodPlanner: turns a pod node (its template and bound inputs) into a PodJob — every
// placeholder substituted, the image mapped, env and labels as Argo and KFP set them.
#include "base/result.hpp"
#include "engine/artifact_store.hpp"
#include "engine/local_resources.hpp"
#include "engine/node.hpp"
#include "engine/pod_job.hpp"
#include "engine/run_options.hpp"
#include "engine/scope.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

class PodPlanner {
public:
    PodPlanner(const model::Workflow& workflow, const RunOptions& options, const Scope& globals,
               ArtifactStore& store, const LocalResources& resources)
        : m_workflow(workflow), m_options(options), m_globals(globals), m_store(store),
          m_resources(resources) {}

    base::Result<PodJob> plan(const Node& node, const model::Template& tmpl) const;

private:
    base::Result<CachePolicy> plan_cache(const Node& node, const model::Template& tmpl,
                                         const Scope& scope) const;
    // A KFP v2 launcher step (pod_planner_launcher.cpp): its executor input, one argv from the
    // IR's command and args, input artifacts at the local paths of their URIs, the folders of
    // its output files made, outputs to collect by the launcher's rules.
    base::Result<void> plan_launcher(const Node& node, const model::Template& tmpl,
                                     PodJob& job) const;
    void add_wheelhouse(PodJob& job) const;
    // The scope a pod's template sees: globals, its inputs, its output paths, pod.name, retries.
    Scope leaf_scope(const Node& node, const model::Template& tmpl) const;

    const model::Workflow& m_workflow;
    const RunOptions& m_options;
    const Scope& m_globals;
    ArtifactStore& m_store;
    const LocalResources& m_resources;
};

}  // namespace kfrun::engine
