// `kfrun inspect RUN STEP [-o json]`: how a step's container was made (the Docker create
// payload), its inputs and outputs with paths and digests, its cache key and why it hit or
// missed.
#include <iostream>
#include <memory>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "base/visible_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/step_inspection.hpp"
#include "cli/terminal.hpp"
#include "store/rocks_step_cache.hpp"

namespace kfrun::cli {

namespace {

struct InspectOptions {
    std::string data_dir;
    std::string cache_dir;
    std::string run;
    std::string step;
    std::string output = "text";
    bool no_color = false;
};

// A value as shown on the console: step-controlled text with its control characters visible.
std::string text_of(const nlohmann::json& value) {
    return base::visible_text(value.is_string() ? value.get<std::string>()
                              : value.is_null() ? ""
                                                : base::json_text(value));
}

// An artifact of the report, which may be damaged or edited: its fields are read with defaults
// (value() threw on a field of another type).
std::string artifact_line(const nlohmann::json& artifact) {
    using base::json_fields::string_of;
    using base::json_fields::uint_of;
    std::string line = "  " + string_of(artifact, "name") + "  " + string_of(artifact, "path") +
                       "  sha256:" + string_of(artifact, "sha256");
    line += "  " + std::to_string(uint_of(artifact, "size")) + " B";
    if (string_of(artifact, "kind") == "directory") {
        line += " in " + std::to_string(uint_of(artifact, "files")) + " files";
    }
    return base::visible_text(line);
}

void print_io(const Terminal& terminal, const char* title, const nlohmann::json& io) {
    std::cout << "\n" << terminal.bold(title) << "\n";
    bool any = false;
    const nlohmann::json& parameters = base::json_fields::object_of(io, "parameters");
    const nlohmann::json& artifacts = base::json_fields::array_of(io, "artifacts");
    for (const auto& [name, value] : parameters.items()) {
        std::cout << "  " << base::visible_text(name) << " = " << text_of(value) << "\n";
        any = true;
    }
    for (const auto& artifact : artifacts) {
        std::cout << artifact_line(artifact) << "\n";
        any = true;
    }
    if (!any) {
        std::cout << terminal.dim("  (none)") << "\n";
    }
}

void print_text(const Terminal& terminal, const nlohmann::json& doc) {
    const auto& step = doc["step"];
    std::cout << terminal.bold("Step ") << base::visible_text(step.value("label", "")) << "  "
              << step.value("phase", "");
    if (!step["exitCode"].is_null()) {
        std::cout << ", exit code " << text_of(step["exitCode"]);
    }
    std::cout << "\n  run " << doc.value("runId", "") << ", node " << step.value("id", "") << " ("
              << base::visible_text(step.value("nodeName", "")) << ")\n";
    if (!step.value("message", "").empty()) {
        std::cout << "  " << base::visible_text(step.value("message", "")) << "\n";
    }
    std::cout << "  image " << text_of(doc["image"]) << " (" << text_of(doc["imageId"]) << ")\n";
    print_io(terminal, "Inputs", doc["inputs"]);
    print_io(terminal, "Outputs", doc["outputs"]);

    const auto& cache = doc["cache"];
    std::cout << "\n" << terminal.bold("Cache ") << text_of(cache["outcome"]);
    if (!cache.value("key", "").empty()) {
        std::cout << ", key " << cache.value("key", "");
    }
    std::cout << "\n";
    if (cache.contains("comparedWithRun")) {
        std::cout << "  compared with the cache's latest entry for this step (run "
                  << cache.value("comparedWithRun", "") << "):\n";
    }
    for (const auto& reason : cache["reasons"]) {
        std::cout << "  - " << text_of(reason) << "\n";
    }
    if (!cache.value("keyText", "").empty()) {
        std::cout << "\n" << terminal.bold("Cache key text") << "\n";
        for (const std::string& line : base::split(cache.value("keyText", ""), '\n')) {
            if (line.empty()) {
                continue;
            }
            std::cout << "  " << base::visible_text(line) << "\n";
        }
    }

    std::cout << "\n"
              << terminal.bold("Create payload")
              << "  POST /containers/create?name=" << doc.value("container", "") << "\n";
    if (doc["createPayload"].is_null()) {
        std::cout << terminal.dim("  (" +
                                  base::visible_text(doc.value("createPayloadProblem", "")) + ")")
                  << "\n";
    } else {
        if (cache.value("outcome", "") == "hit") {
            std::cout << terminal.dim(
                             "  (the result came from the cache: no container was "
                             "created; this is what it would have been)")
                      << "\n";
        }
        std::cout << base::json_text(doc["createPayload"], 2) << "\n";
    }
}

int run(const InspectOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color || options.output == "json");
    AppPaths paths = AppPaths::resolve(options.data_dir, options.cache_dir);
    auto target = find_step_target(paths, options.run, options.step);
    if (!target.ok()) {
        std::cerr << terminal.red("error: ") << target.error().to_string() << "\n";
        return target.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                             : k_exit_environment;
    }
    auto spec = load_step_spec(*target);
    if (!spec.ok() && !target->step.contains("container")) {
        std::cerr << terminal.red("error: ") << spec.error().to_string() << "\n";
        return k_exit_bad_input;  // skipped or omitted: nothing was made
    }
    store::RocksStepCache cache(paths.cache_dir / "index");
    nlohmann::json doc = inspect_step(*target, spec.ok() ? &*spec : nullptr,
                                      spec.ok() ? "" : spec.error().to_string(), &cache);
    if (options.output == "json") {
        std::cout << base::json_text(doc, 2) << "\n";
    } else {
        print_text(terminal, doc);
    }
    return k_exit_ok;
}

}  // namespace

void add_inspect_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<InspectOptions>();
    CLI::App* cmd = app.add_subcommand(
        "inspect",
        "Show how a step's container was made, its inputs and outputs, and its cache "
        "key and outcome");
    cmd->add_option("run", options->run, "Run ID (or a unique prefix)")->required();
    cmd->add_option("step", options->step, "The step: its name, label or node ID")->required();
    cmd->add_option("-o,--output", options->output, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", options->cache_dir,
                    "Step cache directory (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace kfrun::cli
