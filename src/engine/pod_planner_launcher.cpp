// PodPlanner::plan_launcher: how a KFP v2 container task becomes a StepSpec.
#include <map>
#include <set>

#include "base/json_text.hpp"
#include "engine/empty_directory.hpp"
#include "engine/kfp_executor_input.hpp"
#include "engine/kfp_placeholders.hpp"
#include "engine/pod_planner.hpp"

namespace kfrun::engine {

namespace {

std::string parent_of(const std::string& path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string::npos || slash == 0 ? "" : path.substr(0, slash);
}

void add_unique(std::vector<std::string>& paths, const std::string& path) {
    for (const std::string& existing : paths) {
        if (existing == path) {
            return;
        }
    }
    paths.push_back(path);
}

}  // namespace

base::Result<void> PodPlanner::plan_launcher(const Node& node, const model::Template& tmpl,
                                             PodJob& job) const {
    const model::Launcher& launcher = *tmpl.launcher;
    std::string task_path =
        kfp_task_path(node.name, m_options.workflow_name, node.retry_attempt >= 0);
    auto io = launcher_io(node, tmpl, task_path);
    KFRUN_TRY(io);

    // Kubernetes expands $(VAR) in env values and in the pod's args (which hold the argv and the
    // executor input). A value from a Secret is not offered to argv: argv reaches the cache key,
    // the report and `kfrun inspect`.
    std::map<std::string, std::string> variables;
    if (launcher.expand_env) {
        std::set<std::string> secret_names;
        for (const auto& [name, origin] : job.spec.secret_env) {
            secret_names.insert(name);
        }
        job.spec.env = expand_k8s_env(job.spec.env, secret_names);
        for (const auto& [name, value] : job.spec.env) {
            if (job.spec.secret_env.count(name) == 0) {
                variables[name] = value;
            }
        }
    }
    auto executor_input = executor_input_json(*io);
    KFRUN_TRY(executor_input);
    auto argv = resolve_launcher_argv(launcher, *io, base::json_text(*executor_input), variables);
    KFRUN_TRY(argv);
    job.spec.command = std::move(argv->argv);
    job.spec.args.clear();
    for (std::string& warning : argv->warnings) {
        job.warnings.push_back(std::move(warning));
    }
    for (const auto& [name, origin] : job.spec.secret_env) {
        for (const std::string& arg : job.spec.command) {
            if (arg.find("$(" + name + ")") != std::string::npos) {
                job.warnings.push_back("$(" + name +
                                       ") in the command is not expanded: its value "
                                       "comes from a Secret (" +
                                       origin + ")");
                break;
            }
        }
    }

    // Input artifacts: a copy at the local path of the producer's URI.
    std::map<std::string, std::size_t> seen;
    for (const NamedArtifact& input : node.input_artifacts) {
        const auto* list = io->input_artifact(input.name);
        std::size_t index = seen[input.name]++;
        NamedArtifact placed = input;
        placed.path = list != nullptr && index < list->size() ? (*list)[index].path : "";
        if (!placed.path.empty() && input.artifact.has_content()) {
            job.spec.inputs.push_back(InputPlacement{placed.path, input.artifact});
        }
        job.input_artifacts.push_back(std::move(placed));
    }

    // Outputs: parameter files (already in output_paths), artifacts, executor_output.json.
    for (const auto& [name, planned] : io->output_artifacts) {
        model::Artifact artifact = *model::find_by_name(tmpl.outputs.artifacts, name);
        artifact.path = planned.path;
        add_unique(job.spec.output_paths, planned.path);
        job.output_artifacts.push_back(std::move(artifact));
    }
    add_unique(job.spec.output_paths, io->output_file);
    job.spec.parameter_only_paths.insert(io->output_file);

    // The folders of the output files exist, writable by any user, before the command starts:
    // each a tree holding the folder, placed at its parent.
    std::vector<std::string> folders;
    add_unique(folders, io->task_root_path);
    for (const auto& [name, file] : io->output_parameters) {
        std::string parent = parent_of(file);
        if (!parent.empty()) {
            add_unique(folders, parent);
        }
    }
    std::map<std::string, std::set<std::string>> by_parent;
    for (const std::string& folder : folders) {
        std::string parent = parent_of(folder);
        if (!parent.empty()) {  // a top-level folder would need a tree at `/`
            by_parent[parent].insert(folder.substr(parent.size() + 1));
        }
    }
    for (const auto& [parent, names] : by_parent) {
        ArtifactRef tree{ArtifactRef::Kind::Directory, "dry-run", 0, 0};
        if (!m_options.dry_run) {
            auto stored = ingest_empty_folders(m_store, names);
            KFRUN_TRY(stored);
            tree = *stored;
        }
        job.spec.inputs.push_back(InputPlacement{parent, tree});
    }
    job.pipeline_name = launcher.pipeline_name;
    job.launcher = std::move(io.value());
    return base::ok();
}

}  // namespace kfrun::engine
