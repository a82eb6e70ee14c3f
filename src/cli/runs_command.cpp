// `kfrun runs list | show | compare`: the run history, like KFP's run list and comparison.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "base/time.hpp"
#include "base/visible_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/metric_text.hpp"
#include "cli/run_history.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/terminal.hpp"
#include "cli/text_table.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

namespace {

// Summaries and reports are kfrun's files, but they may be damaged or edited: every field is
// read with a default (nlohmann's value() and get<T>() threw on a field of another type).
using base::json_fields::array_of;
using base::json_fields::member;
using base::json_fields::string_of;

struct RunsOptions {
    std::string data_dir;
    std::string experiment;
    std::string output;
    std::size_t limit = 20;
    std::vector<std::string> ids;
    bool no_color = false;
};

int error_out(const Terminal& terminal, const base::Error& error) {
    std::cerr << terminal.red("error: ") << error.to_string() << "\n";
    return error.kind == base::ErrorKind::Input ? k_exit_bad_input : k_exit_environment;
}

std::string duration_text(const nlohmann::json& summary) {
    if (!member(summary, "durationMs").is_number()) {
        return "";
    }
    return base::format_duration(base::Millis(base::json_fields::int_of(summary, "durationMs")));
}

// A parameter's value as a string (a damaged file's other types as JSON).
std::string value_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : base::json_text(value);
}

std::string steps_text(const nlohmann::json& summary) {
    if (!member(summary, "counts").is_object()) {
        return "";
    }
    const auto& counts = member(summary, "counts");
    auto count = [&counts](const char* key) -> std::int64_t {
        return base::json_fields::small_int_of(counts, key);  // three ints add up in an int64
    };
    std::int64_t ran = count("succeeded") + count("failed") + count("error");
    std::int64_t cached = count("cached");
    std::int64_t reused = count("reused");
    return std::to_string(ran - cached - reused) + " run / " + std::to_string(cached) + " cached" +
           (reused > 0 ? " / " + std::to_string(reused) + " reused" : "");
}

std::string status_text(const Terminal& terminal, const std::string& status) {
    if (status == "Succeeded") {
        return terminal.green(status);
    }
    if (status == "Failed" || status == "Error") {
        return terminal.red(status);
    }
    return terminal.yellow(status);
}

// "step/metric" → formatted value, for the run-level metrics of a summary or report.
std::map<std::string, std::string> metrics_of(const nlohmann::json& document) {
    std::map<std::string, std::string> out;
    for (const auto& metric : array_of(document, "metrics")) {
        std::string name = string_of(metric, "name");
        out.emplace(name, format_metric(base::json_fields::number_of(metric, "numberValue"),
                                        string_of(metric, "format")));
    }
    return out;
}

void list_runs(const RunsOptions& options, int& exit_code) {
    Terminal terminal = Terminal::detect(options.no_color);
    AppPaths paths = AppPaths::resolve(options.data_dir, "");
    sweep_before_command(paths);
    store::RunIndex index(paths.data_dir / "history");
    std::optional<std::string> experiment;
    if (!options.experiment.empty()) {
        experiment = options.experiment;
    }
    auto runs = index.list(options.limit, experiment);
    if (!runs.ok()) {
        exit_code = error_out(terminal, runs.error());
        return;
    }
    if (options.output == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& run : *runs) {
            out.push_back(run.summary);
        }
        std::cout << base::json_text(out, 2) << "\n";
        exit_code = k_exit_ok;
        return;
    }
    // Metrics as columns, like KFP's run list (the first few names, in order of appearance).
    std::vector<std::string> metric_names;
    for (const auto& run : *runs) {
        for (const auto& [name, value] : metrics_of(run.summary)) {
            if (std::find(metric_names.begin(), metric_names.end(), name) == metric_names.end() &&
                metric_names.size() < 4) {
                metric_names.push_back(name);
            }
        }
    }
    std::vector<std::string> header = {"RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "STEPS"};
    if (!options.experiment.empty() || std::any_of(runs->begin(), runs->end(), [](const auto& r) {
            return !r.experiment.empty();
        })) {
        header.push_back("EXPERIMENT");
    }
    bool with_experiment = header.back() == "EXPERIMENT";
    for (const std::string& name : metric_names) {
        header.push_back(name);
    }
    TextTable table(header);
    for (const auto& run : *runs) {
        const nlohmann::json& s = run.summary;
        std::vector<std::string> row = {
            run.run_id.substr(0, 8),
            base::visible_text(string_of(member(s, "pipeline"), "name")),
            status_text(terminal, string_of(s, "status")),
            base::format_rfc3339(run.started_at),
            duration_text(s),
            steps_text(s)};
        if (with_experiment) {
            row.push_back(base::visible_text(run.experiment));
        }
        auto metrics = metrics_of(s);
        for (const std::string& name : metric_names) {
            auto it = metrics.find(name);
            row.push_back(it == metrics.end() ? "" : base::visible_text(it->second));
        }
        table.add(std::move(row));
    }
    if (table.empty()) {
        std::cout << "no runs yet" << (options.experiment.empty() ? "" : " in this experiment")
                  << "\n";
    } else {
        table.print(std::cout);
    }
    exit_code = k_exit_ok;
}

void show_run(const RunsOptions& options, int& exit_code) {
    Terminal terminal = Terminal::detect(options.no_color);
    AppPaths paths = AppPaths::resolve(options.data_dir, "");
    sweep_before_command(paths);
    store::RunIndex index(paths.data_dir / "history");
    auto run = find_run(index, options.ids.front());
    if (!run.ok()) {
        exit_code = error_out(terminal, run.error());
        return;
    }
    auto report = load_run_report(paths, *run);
    if (options.output == "json") {
        std::cout << base::json_text((report.ok() ? *report : run->summary), 2) << "\n";
        exit_code = k_exit_ok;
        return;
    }
    const nlohmann::json& s = report.ok() ? *report : run->summary;
    std::cout << terminal.bold("Run " + run->run_id) << "\n"
              << "  pipeline:   " << base::visible_text(string_of(member(s, "pipeline"), "name"))
              << "  " << terminal.dim(base::visible_text(string_of(member(s, "pipeline"), "file")))
              << "\n"
              << "  status:     " << status_text(terminal, string_of(s, "status")) << "\n"
              << "  started:    " << base::visible_text(string_of(s, "startedAt")) << "\n"
              << "  duration:   " << duration_text(s) << "\n";
    if (!run->experiment.empty()) {
        std::cout << "  experiment: " << run->experiment << "\n";
    }
    if (!string_of(s, "message").empty()) {
        std::cout << "  message:    " << base::visible_text(string_of(s, "message")) << "\n";
    }
    if (member(s, "runDir").is_string()) {
        std::error_code ec;
        bool gone = !std::filesystem::exists(string_of(s, "runDir"), ec);
        std::cout << "  folder:     " << base::visible_text(string_of(s, "runDir"))
                  << (gone ? terminal.dim(" (deleted; `kfrun report " + run->run_id.substr(0, 8) +
                                          "` writes it again)")
                           : "")
                  << "\n";
    }
    const nlohmann::json& parameters = base::json_fields::object_of(s, "parameters");
    if (!parameters.empty()) {
        std::cout << "  parameters:\n";
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            std::cout << "    " << base::visible_text(it.key()) << " = "
                      << base::visible_text(value_text(it.value())) << "\n";
        }
    }
    if (report.ok() && report->contains("steps")) {
        TextTable table({"STEP", "PHASE", "DURATION", "CACHE", "MESSAGE"});
        for (const auto& step : array_of(*report, "steps")) {
            std::string duration;
            auto started = base::parse_rfc3339(string_of(step, "startedAt"));
            auto finished = base::parse_rfc3339(string_of(step, "finishedAt"));
            if (started && finished) {
                duration = base::format_duration(
                    std::chrono::duration_cast<base::Millis>(*finished - *started));
            }
            table.add({base::visible_text(string_of(step, "label", string_of(step, "name"))),
                       status_text(terminal, string_of(step, "phase")), duration,
                       base::visible_text(string_of(step, "cache")),
                       base::visible_text(string_of(step, "message").substr(0, 80))});
        }
        std::cout << "\n";
        table.print(std::cout);
    } else if (!report.ok()) {
        std::cout << terminal.dim("  (" + report.error().message + ")") << "\n";
    }
    // Every metric with the step that reported it (a loop reports one per iteration).
    if (!array_of(s, "metrics").empty()) {
        std::map<std::string, std::string> labels;  // node id → step label
        for (const auto& step : array_of(s, "steps")) {
            labels[string_of(step, "id")] = string_of(step, "label", string_of(step, "name"));
        }
        TextTable table({"STEP", "METRIC", "VALUE"});
        for (const auto& metric : array_of(s, "metrics")) {
            auto label = labels.find(string_of(metric, "nodeId"));
            table.add({base::visible_text(label != labels.end() ? label->second
                                                                : string_of(metric, "step")),
                       base::visible_text(string_of(metric, "name")),
                       format_metric(base::json_fields::number_of(metric, "numberValue"),
                                     string_of(metric, "format"))});
        }
        std::cout << "\n";
        table.print(std::cout);
    }
    exit_code = k_exit_ok;
}

void compare_runs(const RunsOptions& options, int& exit_code) {
    Terminal terminal = Terminal::detect(options.no_color);
    AppPaths paths = AppPaths::resolve(options.data_dir, "");
    sweep_before_command(paths);
    store::RunIndex index(paths.data_dir / "history");
    std::vector<store::RunRecord> runs;
    for (const std::string& id : options.ids) {
        auto run = find_run(index, id);
        if (!run.ok()) {
            exit_code = error_out(terminal, run.error());
            return;
        }
        runs.push_back(std::move(run.value()));
    }
    // Rows: status and duration, each parameter, each metric; a row whose values differ is
    // marked.
    std::vector<std::pair<std::string, std::vector<std::string>>> rows;
    auto row = [&rows](const std::string& name) -> std::vector<std::string>& {
        for (auto& [label, values] : rows) {
            if (label == name) {
                return values;
            }
        }
        rows.emplace_back(name, std::vector<std::string>());
        return rows.back().second;
    };
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const nlohmann::json& s = runs[i].summary;
        auto set = [&](const std::string& name, const std::string& value) {
            auto& values = row(name);
            values.resize(runs.size());
            values[i] = value;
        };
        set("pipeline", string_of(member(s, "pipeline"), "name"));
        set("status", string_of(s, "status"));
        set("duration", duration_text(s));
        const nlohmann::json& parameters = base::json_fields::object_of(s, "parameters");
        for (auto it = parameters.begin(); it != parameters.end(); ++it) {
            set("param " + it.key(), value_text(it.value()));
        }
        for (const auto& [name, value] : metrics_of(s)) {
            set("metric " + name, value);
        }
    }
    if (options.output == "json") {
        nlohmann::json out = {{"runs", nlohmann::json::array()}, {"rows", nlohmann::json::array()}};
        for (const auto& run : runs) {
            out["runs"].push_back(run.run_id);
        }
        for (auto& [label, values] : rows) {
            values.resize(runs.size());
            bool differs = std::set<std::string>(values.begin(), values.end()).size() > 1;
            out["rows"].push_back({{"name", label}, {"values", values}, {"differs", differs}});
        }
        std::cout << base::json_text(out, 2) << "\n";
        exit_code = k_exit_ok;
        return;
    }
    std::vector<std::string> header = {"", ""};
    for (const auto& run : runs) {
        header.push_back(run.run_id.substr(0, 8));
    }
    TextTable table(header);
    for (auto& [label, values] : rows) {
        values.resize(runs.size());
        bool differs = std::set<std::string>(values.begin(), values.end()).size() > 1;
        std::vector<std::string> cells = {differs ? terminal.yellow("≠") : " ",
                                          base::visible_text(label)};
        for (const std::string& value : values) {
            const std::string shown = base::visible_text(value);
            cells.push_back(differs ? terminal.bold(shown) : shown);
        }
        table.add(std::move(cells));
    }
    table.print(std::cout);
    exit_code = k_exit_ok;
}

}  // namespace

void add_runs_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<RunsOptions>();
    CLI::App* runs = app.add_subcommand("runs", "The run history: list, show and compare runs");
    runs->require_subcommand(1);
    runs->fallthrough();
    runs->add_option("--data-dir", options->data_dir,
                     "State directory (default: $XDG_DATA_HOME/kfrun)");
    runs->add_flag("--no-color", options->no_color, "No colours");

    CLI::App* list = runs->add_subcommand("list", "Runs, newest first, with their metrics");
    list->alias("ls");
    list->add_option("--experiment", options->experiment, "Only this experiment's runs");
    list->add_option("-n,--limit", options->limit, "At most this many runs (default 20; 0: all)");
    list->add_option("-o,--output", options->output, "json for machine-readable output")
        ->check(CLI::IsMember({"json"}));
    list->callback([options, &exit_code] { list_runs(*options, exit_code); });

    CLI::App* show = runs->add_subcommand("show", "One run: parameters, steps, metrics");
    show->add_option("run", options->ids, "Run ID (or a unique prefix)")->required()->expected(1);
    show->add_option("-o,--output", options->output, "json for the whole report")
        ->check(CLI::IsMember({"json"}));
    show->callback([options, &exit_code] { show_run(*options, exit_code); });

    CLI::App* compare =
        runs->add_subcommand("compare", "Parameters and metrics of runs side by side");
    compare->add_option("runs", options->ids, "Two or more run IDs (or unique prefixes)")
        ->required()
        ->expected(2, 50);
    compare->add_option("-o,--output", options->output, "json for machine-readable output")
        ->check(CLI::IsMember({"json"}));
    compare->callback([options, &exit_code] { compare_runs(*options, exit_code); });
}

}  // namespace kfrun::cli
