#include "cli/run_options_builder.hpp"

#include <fstream>
#include <thread>
#include <tuple>

#include "base/json_fields.hpp"
#include "base/names.hpp"
#include "base/private_files.hpp"
#include "base/random_id.hpp"
#include "base/time.hpp"
#include "base/visible_text.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/wheelhouse.hpp"

namespace kfrun::cli {

namespace {

base::Result<engine::NetworkMode> parse_network(const std::string& text) {
    if (text == "pod") {
        return engine::NetworkMode::Pod;
    }
    if (text == "bridge") {
        return engine::NetworkMode::Bridge;
    }
    if (text == "none") {
        return engine::NetworkMode::None;
    }
    if (text == "host") {
        return engine::NetworkMode::Host;
    }
    return base::make_error(base::ErrorKind::Input,
                            "expected pod, bridge, none or host, got '" + text + "'", "--network");
}

base::Result<engine::PullPolicy> parse_pull(const std::string& text) {
    if (text == "missing") {
        return engine::PullPolicy::Missing;
    }
    if (text == "always") {
        return engine::PullPolicy::Always;
    }
    if (text == "never") {
        return engine::PullPolicy::Never;
    }
    return base::make_error(base::ErrorKind::Input,
                            "expected always, missing or never, got '" + text + "'", "--pull");
}

}  // namespace

base::Result<std::vector<engine::HostPathGrant>> parse_host_path_grants(
    const std::vector<std::string>& values) {
    std::vector<engine::HostPathGrant> grants;
    for (const std::string& value : values) {
        engine::HostPathGrant grant;
        std::string path = value;
        auto ends_with = [&path](const std::string& suffix) {
            return path.size() > suffix.size() &&
                   path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
        };
        if (ends_with(":rw")) {
            grant.writable = true;
            path.resize(path.size() - 3);
        } else if (ends_with(":ro")) {
            path.resize(path.size() - 3);
        }
        std::error_code ec;
        std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
        if (path.empty() || ec || !std::filesystem::exists(absolute, ec)) {
            return base::make_error(base::ErrorKind::Input,
                                    "expected an existing host folder or file, optionally "
                                    "followed by :rw or :ro, got '" + value + "'",
                                    "--allow-host-path");
        }
        std::string text = absolute.string();
        while (text.size() > 1 && text.back() == '/') {
            text.pop_back();
        }
        grant.path = text;
        grants.push_back(std::move(grant));
    }
    return grants;
}

base::Result<std::vector<engine::ArtifactMapping>> parse_artifact_maps(
    const std::vector<std::string>& values) {
    std::vector<engine::ArtifactMapping> maps;
    for (const std::string& value : values) {
        std::size_t scheme = value.find("://");
        std::size_t equals =
            scheme == std::string::npos ? std::string::npos : value.find('=', scheme + 3);
        if (scheme == std::string::npos || scheme == 0 || equals == std::string::npos ||
            equals + 1 == value.size()) {
            return base::make_error(base::ErrorKind::Input,
                                    "expected PREFIX=DIR with a URI prefix such as "
                                    "gs://bucket/data=./data, got '" +
                                        value + "'",
                                    "--artifact-map");
        }
        std::error_code ec;
        std::filesystem::path dir =
            std::filesystem::absolute(value.substr(equals + 1), ec).lexically_normal();
        if (ec || !std::filesystem::exists(dir, ec)) {
            return base::make_error(base::ErrorKind::Input,
                                    "no such folder or file: " + value.substr(equals + 1),
                                    "--artifact-map " + value);
        }
        std::string text = dir.string();
        while (text.size() > 1 && text.back() == '/') {
            text.pop_back();
        }
        maps.push_back(engine::ArtifactMapping{value.substr(0, equals), text});
    }
    return maps;
}

std::string pipeline_name(const model::Workflow& workflow) {
    if (!workflow.display_name.empty()) {
        return workflow.display_name;
    }
    if (!workflow.name.empty()) {
        return workflow.name;
    }
    std::string name = workflow.generate_name;
    while (!name.empty() && name.back() == '-') {
        name.pop_back();
    }
    return name.empty() ? workflow.entrypoint : name;
}

base::Result<engine::RunOptions> build_run_options(const model::Workflow& workflow,
                                                   const RunFlags& flags, const AppPaths& paths) {
    engine::RunOptions run;
    run.run_id = base::random_uuid();
    run.workflow_name = !workflow.name.empty() ? workflow.name
                        : !workflow.generate_name.empty()
                            ? workflow.generate_name + base::random_suffix(5)
                            : "kfrun-" + base::random_suffix(5);
    run.pipeline_name = pipeline_name(workflow);
    if (!flags.parameter_file.empty()) {
        auto parameters = read_parameter_file(flags.parameter_file);
        KFRUN_TRY(parameters);
        run.parameters = std::move(parameters.value());
    }
    for (const std::string& text : flags.parameters) {
        auto assignment = parse_assignment(text, "-p");
        KFRUN_TRY(assignment);
        run.parameters.push_back(std::move(assignment.value()));
    }
    // Rules given on the command line win over the file's.
    for (const std::string& text : flags.image_maps) {
        auto rule = engine::ImageMap::parse_rule(text);
        KFRUN_TRY(rule);
        run.image_map.add(std::move(rule.value()));
    }
    if (!flags.image_map_file.empty()) {
        auto rules = read_image_map_file(flags.image_map_file);
        KFRUN_TRY(rules);
        for (auto& rule : rules.value()) {
            run.image_map.add(std::move(rule));
        }
    }
    auto network = parse_network(flags.network);
    KFRUN_TRY(network);
    run.network = *network;
    auto pull = parse_pull(flags.pull);
    KFRUN_TRY(pull);
    run.pull_policy = *pull;
    if (!flags.timeout.empty()) {
        run.timeout = base::parse_go_duration(flags.timeout);
        if (!run.timeout) {
            return base::make_error(base::ErrorKind::Input,
                                    "expected a duration such as 90s, 10m or 1h30m, got '" +
                                        flags.timeout + "'",
                                    "--timeout");
        }
    }
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    run.parallelism = flags.parallelism > 0 ? flags.parallelism : static_cast<int>(2 * cores);
    run.max_recursion_depth = flags.max_recursion_depth;
    run.keep_containers = flags.keep_containers;
    run.dry_run = flags.dry_run;
    run.skip_unsupported = flags.skip_unsupported;
    run.allow_privileged = flags.allow_privileged;
    auto grants = parse_host_path_grants(flags.allow_host_paths);
    KFRUN_TRY(grants);
    run.allowed_host_paths = std::move(grants.value());
    for (const std::string& volume : flags.allow_volumes) {
        if (!base::is_docker_volume_name(volume)) {
            return base::make_error(base::ErrorKind::Input,
                                    "expected a Docker volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]+), "
                                    "got '" +
                                        base::visible_text(volume.substr(0, 256)) + "'",
                                    "--allow-volume");
        }
    }
    run.allowed_volumes = flags.allow_volumes;
    auto maps = parse_artifact_maps(flags.artifact_maps);
    KFRUN_TRY(maps);
    run.artifact_map = std::move(maps.value());
    run.no_gpu_ok = flags.no_gpu_ok;
    if (!flags.wheelhouse.empty()) {
        auto wheelhouse = wheelhouse_folder(flags.wheelhouse);
        KFRUN_TRY(wheelhouse);
        run.wheelhouse = wheelhouse->path;
        run.wheelhouse_digest = wheelhouse->digest;
    }
    run.use_cache = !flags.no_cache;
    run.explain_cache = flags.explain;
    run.scratch_dir = paths.scratch_dir(run.run_id);
    for (const auto& [flag, assignments, target] :
         {std::tuple{"--secret", &flags.secrets, &run.secrets},
          std::tuple{"--config-map", &flags.config_maps, &run.config_maps}}) {
        for (const std::string& assignment : *assignments) {
            std::string name;
            auto source = read_object_directory(assignment, flag, name);
            KFRUN_TRY(source);
            (*target)[name] = std::move(source.value());
        }
    }
    if (!flags.secrets_file.empty()) {
        auto secrets = read_secrets_file(flags.secrets_file);
        KFRUN_TRY(secrets);
        for (auto& [name, data] : secrets.value()) {
            // Secrets given as values are also written out, so a step can mount them.
            run.secrets[name].data = std::move(data);
            run.secrets[name].directory = run.scratch_dir / "secrets" / name;
        }
    }
    return run;
}

void add_run_flags(CLI::App& cmd, RunFlags& flags) {
    cmd.add_option("-p,--parameter", flags.parameters, "A pipeline parameter NAME=VALUE");
    cmd.add_option("--parameter-file", flags.parameter_file,
                   "YAML/JSON file of parameters {name: value}");
    cmd.add_option("--image-map", flags.image_maps,
                   "Run IMAGE where the pipeline names PATTERN (a reference or a glob such as "
                   "'python:*'): PATTERN=IMAGE");
    cmd.add_option("--image-map-file", flags.image_map_file,
                   "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    cmd.add_option("--parallelism", flags.parallelism,
                   "Steps running at once (default: twice the CPU count)");
    cmd.add_option("--network", flags.network,
                   "pod (one shared network namespace per run, fastest), bridge, none, host")
        ->check(CLI::IsMember({"pod", "bridge", "none", "host"}));
    cmd.add_option("--pull", flags.pull, "Pull images: always, missing (default), never")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    cmd.add_option("--timeout", flags.timeout, "Stop the whole run after this long (e.g. 30m)");
    cmd.add_option("--max-recursion-depth", flags.max_recursion_depth,
                   "Nested template calls allowed (default 100)");
    cmd.add_option("--secret", flags.secrets,
                   "A Kubernetes Secret the pipeline reads: NAME=DIR, one file per key");
    cmd.add_option("--secrets-file", flags.secrets_file, "Secrets as YAML {name: {key: value}}");
    cmd.add_option("--config-map", flags.config_maps,
                   "A Kubernetes ConfigMap the pipeline reads: NAME=DIR, one file per key");
    cmd.add_flag("--skip-unsupported", flags.skip_unsupported,
                 "Skip steps that cannot run locally (custom resources such as TFJob) and run "
                 "the rest");
    cmd.add_flag("--allow-privileged", flags.allow_privileged,
                 "Let steps run privileged, add capabilities beyond Kubernetes' baseline set, "
                 "and declare hostNetwork or host ports (all refused by default)");
    cmd.add_option("--allow-host-path", flags.allow_host_paths,
                   "Let hostPath volumes mount this host folder or anything below it (symbolic "
                   "links resolved), read-only, and KFP v2 importers read local paths in it; "
                   "PATH:rw mounts it read-write. Repeatable");
    cmd.add_option("--allow-volume", flags.allow_volumes,
                   "Let PersistentVolumeClaims use this existing Docker volume (mount, copy, "
                   "delete) although kfrun did not make it for them (refused by default). "
                   "Repeatable");
    cmd.add_option("--artifact-map", flags.artifact_maps,
                   "Where a KFP v2 importer's remote URI is read: PREFIX=DIR reads "
                   "PREFIX/x from DIR/x (gs://bucket/data=./data). Repeatable; the longest "
                   "prefix wins");
    cmd.add_option("--wheelhouse", flags.wheelhouse,
                   "A folder of Python wheels, mounted read-only into every step with "
                   "PIP_NO_INDEX=1 and PIP_FIND_LINKS, so KFP v2 lightweight components "
                   "install their packages offline");
    cmd.add_flag("--no-gpu-ok", flags.no_gpu_ok,
                 "Run steps that ask for GPUs without them when the host has none");
    cmd.add_flag("--no-cache", flags.no_cache,
                 "Run every step even when the cache has its result (results are still recorded)");
    cmd.add_flag("--explain", flags.explain,
                 "For each step that misses the cache, say which key fields changed");
    cmd.add_flag("--keep-containers", flags.keep_containers,
                 "Keep step containers after they finish");
}

nlohmann::json run_options_json(const engine::RunOptions& run, const RunFlags& flags) {
    nlohmann::json image_map = nlohmann::json::array();
    for (const auto& rule : run.image_map.rules()) {
        image_map.push_back(rule.pattern + "=" + rule.image);
    }
    nlohmann::json secrets = nlohmann::json::array();
    for (const std::string& secret : flags.secrets) {
        secrets.push_back(std::filesystem::absolute(secret.substr(secret.find('=') + 1)).string()
                              .insert(0, secret.substr(0, secret.find('=') + 1)));
    }
    nlohmann::json config_maps = nlohmann::json::array();
    for (const std::string& config_map : flags.config_maps) {
        config_maps.push_back(
            std::filesystem::absolute(config_map.substr(config_map.find('=') + 1))
                .string()
                .insert(0, config_map.substr(0, config_map.find('=') + 1)));
    }
    // Absolute folders, so that a resume from another folder reads the same files.
    nlohmann::json artifact_maps = nlohmann::json::array();
    for (const engine::ArtifactMapping& map : run.artifact_map) {
        artifact_maps.push_back(map.prefix + "=" + map.directory.string());
    }
    return {{"imageMap", image_map},
            {"network", flags.network},
            {"pull", flags.pull},
            {"parallelism", run.parallelism},
            {"timeout", flags.timeout},
            {"secrets", secrets},
            {"configMaps", config_maps},
            {"skipUnsupported", flags.skip_unsupported},
            {"allowPrivileged", flags.allow_privileged},
            {"allowHostPaths", flags.allow_host_paths},
            {"allowVolumes", flags.allow_volumes},
            {"artifactMaps", artifact_maps},
            {"noGpuOk", flags.no_gpu_ok},
            {"wheelhouse", run.wheelhouse},
            {"noCache", flags.no_cache}};
}

// `kept` is from a report.json, which may be damaged or edited: a field of another type reads as
// absent (value() and get<T>() threw on one).
void apply_kept_options(const nlohmann::json& kept, RunFlags& flags) {
    using base::json_fields::bool_of;
    using base::json_fields::string_of;
    using base::json_fields::strings_of;
    if (!kept.is_object()) {
        return;
    }
    if (flags.image_maps.empty() && flags.image_map_file.empty()) {
        flags.image_maps = strings_of(kept, "imageMap");
    }
    if (flags.network == "pod") {
        flags.network = string_of(kept, "network", "pod");
    }
    if (flags.pull == "missing") {
        flags.pull = string_of(kept, "pull", "missing");
    }
    if (flags.timeout.empty()) {
        flags.timeout = string_of(kept, "timeout");
    }
    if (flags.secrets.empty()) {
        flags.secrets = strings_of(kept, "secrets");
    }
    if (flags.config_maps.empty()) {
        flags.config_maps = strings_of(kept, "configMaps");
    }
    flags.skip_unsupported = flags.skip_unsupported || bool_of(kept, "skipUnsupported");
    flags.allow_privileged = flags.allow_privileged || bool_of(kept, "allowPrivileged");
    if (flags.allow_host_paths.empty()) {
        flags.allow_host_paths = strings_of(kept, "allowHostPaths");
    }
    if (flags.allow_volumes.empty()) {
        flags.allow_volumes = strings_of(kept, "allowVolumes");
    }
    if (flags.artifact_maps.empty()) {
        flags.artifact_maps = strings_of(kept, "artifactMaps");
    }
    flags.no_gpu_ok = flags.no_gpu_ok || bool_of(kept, "noGpuOk");
    if (flags.wheelhouse.empty()) {
        flags.wheelhouse = string_of(kept, "wheelhouse");
    }
}

base::Result<void> write_secret_directories(const engine::RunOptions& run) {
    for (const auto& [name, secret] : run.secrets) {
        if (secret.directory.parent_path() != run.scratch_dir / "secrets") {
            continue;  // a --secret directory of the user's
        }
        // Names and keys were checked (read_secrets_file): one path component each. Files are
        // created 0600 in a 0700 folder, never through a link.
        auto dir = base::open_private_directory(secret.directory);
        KFRUN_TRY(dir);
        for (const auto& [key, value] : secret.data) {
            auto written = base::write_file_at(dir->get(), key, value, base::k_private_file_mode,
                                               (secret.directory / key).string());
            if (!written) {
                return base::make_error(base::ErrorKind::Io,
                                        "cannot write secret `" + name +
                                            "`: " + written.error().message,
                                        written.error().where);
            }
        }
    }
    return base::ok();
}

}  // namespace kfrun::cli
