// `kfrun graph PIPELINE [--format ascii|dot|mermaid]` and `kfrun list PIPELINE [-o json]`: a
// pipeline's shape, tasks, images (after --image-map) and parameters, before anything runs.
#include <iostream>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/pipeline_input.hpp"
#include "cli/run_options_builder.hpp"
#include "cli/terminal.hpp"
#include "cli/text_table.hpp"
#include "engine/graph_text.hpp"
#include "engine/pipeline_graph.hpp"

namespace kfrun::cli {

namespace {

struct ShapeOptions {
    std::string pipeline;
    std::string format = "ascii";
    std::string output;  // list: "" or "json"
    std::vector<std::string> image_maps;
    std::string image_map_file;
    bool no_color = false;
};

// Loads the pipeline; invalid pipelines still draw (the diagnostics say what is wrong), files
// that cannot be read or parsed do not.
base::Result<LoadedPipeline> load(const ShapeOptions& options, const Terminal& terminal) {
    auto loaded = load_pipeline(options.pipeline, /*skip_unsupported=*/true);
    if (loaded.ok()) {
        print_diagnostics(loaded->diagnostics, terminal, false);
    }
    return loaded;
}

int fail(const base::Error& error) {
    std::cerr << (error.where.empty() ? "" : error.where + ": ") << "error: " << error.message
              << "\n";
    return k_exit_bad_input;
}

int graph_command(const ShapeOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    auto format = engine::parse_graph_format(options.format);
    if (!format) {
        std::cerr << "error: --format must be ascii, dot or mermaid\n";
        return k_exit_bad_input;
    }
    auto loaded = load(options, terminal);
    if (!loaded.ok()) {
        return fail(loaded.error());
    }
    engine::PipelineGraph graph =
        engine::describe_pipeline(loaded->workflow, pipeline_name(loaded->workflow));
    std::cout << engine::render_graph(graph, *format);
    return k_exit_ok;
}

std::string kind_text(const engine::GraphTask& task) {
    std::string kind = model::to_string(task.kind);
    if (!task.loop.empty()) {
        kind += " loop";
    }
    if (!task.when.empty()) {
        kind += " if";
    }
    return kind;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

int list_command(const ShapeOptions& options) {
    Terminal terminal = Terminal::detect(options.no_color);
    auto loaded = load(options, terminal);
    if (!loaded.ok()) {
        return fail(loaded.error());
    }
    const model::Workflow& workflow = loaded->workflow;
    engine::ImageMap images;
    for (const std::string& text : options.image_maps) {
        auto rule = engine::ImageMap::parse_rule(text);
        if (!rule.ok()) {
            return fail(rule.error());
        }
        images.add(std::move(rule.value()));
    }
    if (!options.image_map_file.empty()) {
        auto rules = read_image_map_file(options.image_map_file);
        if (!rules.ok()) {
            return fail(rules.error());
        }
        for (auto& rule : *rules) {
            images.add(std::move(rule));
        }
    }
    engine::PipelineGraph graph = engine::describe_pipeline(workflow, pipeline_name(workflow));
    std::vector<const engine::GraphTask*> tasks = engine::flatten(graph.root);
    if (graph.has_exit_handler) {
        tasks.push_back(&graph.exit_handler);
        for (const engine::GraphTask* task : engine::flatten(graph.exit_handler)) {
            tasks.push_back(task);
        }
    }

    nlohmann::json json = {{"pipeline", graph.name},
                           {"entrypoint", workflow.entrypoint},
                           {"onExit", workflow.on_exit},
                           {"parameters", nlohmann::json::array()},
                           {"tasks", nlohmann::json::array()},
                           {"images", nlohmann::json::array()}};
    for (const model::Parameter& parameter : workflow.arguments.parameters) {
        nlohmann::json entry = {{"name", parameter.name}};
        entry["value"] = parameter.value ? nlohmann::json(*parameter.value) : nlohmann::json();
        if (!parameter.enum_values.empty()) {
            entry["enum"] = parameter.enum_values;
        }
        json["parameters"].push_back(entry);
    }
    for (const engine::GraphTask* task : tasks) {
        nlohmann::json entry = {{"task", task->id},
                                {"name", task->display_name},
                                {"template", task->template_name},
                                {"kind", model::to_string(task->kind)}};
        std::vector<std::string> dependencies;
        for (const std::string& dependency : task->dependencies) {
            dependencies.push_back(dependency);
        }
        entry["dependsOn"] = dependencies;
        if (!task->image.empty()) {
            entry["image"] = task->image;
            entry["runsImage"] = images.map_or_same(task->image);
        }
        if (!task->when.empty()) {
            entry["when"] = task->when;
        }
        if (!task->loop.empty()) {
            entry["loop"] = task->loop;
        }
        json["tasks"].push_back(entry);
    }
    for (const engine::GraphTask* leaf : engine::leaf_tasks(graph)) {
        if (leaf->image.empty()) {
            continue;
        }
        bool seen = false;
        for (const auto& image : json["images"]) {
            seen = seen || image["image"] == leaf->image;
        }
        if (!seen) {
            json["images"].push_back(
                {{"image", leaf->image}, {"runsImage", images.map_or_same(leaf->image)}});
        }
    }
    if (options.output == "json") {
        std::cout << base::json_text(json, 2) << "\n";
        return k_exit_ok;
    }

    std::cout << terminal.bold(graph.name) << "  " << terminal.dim(options.pipeline) << "\n\n";
    TextTable parameters({"PARAMETER", "DEFAULT"});
    for (const auto& parameter : json["parameters"]) {
        parameters.add({parameter["name"].get<std::string>(),
                        parameter["value"].is_null() ? "(required)"
                                                     : parameter["value"].get<std::string>()});
    }
    if (!parameters.empty()) {
        parameters.print(std::cout);
        std::cout << "\n";
    }
    TextTable task_table({"TASK", "TEMPLATE", "KIND", "DEPENDS ON", "IMAGE"});
    for (const engine::GraphTask* task : tasks) {
        std::string image = task->image;
        std::string mapped = images.map_or_same(task->image);
        if (!image.empty() && mapped != image) {
            image = mapped + " (for " + image + ")";
        }
        std::vector<std::string> dependencies;
        for (const std::string& dependency : task->dependencies) {
            dependencies.push_back(dependency.substr(dependency.rfind('/') + 1));
        }
        task_table.add({task->id, task->template_name, kind_text(*task), joined(dependencies),
                        image});
    }
    task_table.print(std::cout);
    std::cout << "\n";
    TextTable image_table({"IMAGE", "RUNS AS"});
    for (const auto& image : json["images"]) {
        image_table.add({image["image"].get<std::string>(), image["runsImage"].get<std::string>()});
    }
    if (!image_table.empty()) {
        image_table.print(std::cout);
    }
    return k_exit_ok;
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ShapeOptions>();
    CLI::App* cmd = app.add_subcommand(
        "graph", "Draw a pipeline's tasks and their dependencies (nothing runs)");
    cmd->add_option("pipeline", options->pipeline, "The compiled pipeline")->required();
    cmd->add_option("--format", options->format, "ascii (default), dot or mermaid")
        ->check(CLI::IsMember({"ascii", "dot", "mermaid"}));
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = graph_command(*options); });
}

void add_list_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ShapeOptions>();
    CLI::App* cmd = app.add_subcommand(
        "list", "List a pipeline's tasks, templates, images (after --image-map) and parameters");
    cmd->add_option("pipeline", options->pipeline, "The compiled pipeline")->required();
    cmd->add_option("--image-map", options->image_maps,
                    "Show IMAGE where the pipeline names PATTERN: PATTERN=IMAGE");
    cmd->add_option("--image-map-file", options->image_map_file,
                    "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    cmd->add_option("-o,--output", options->output, "json: machine-readable")
        ->check(CLI::IsMember({"json"}));
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] { exit_code = list_command(*options); });
}

}  // namespace kfrun::cli
