// `kfrun logs RUN [STEP] [-f]`: a run's step logs, from its folder; -f follows a running run.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "base/json_fields.hpp"
#include "base/tsv_field.hpp"
#include "base/visible_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/log_stream.hpp"
#include "cli/run_history.hpp"
#include "cli/run_sweeper.hpp"
#include "cli/terminal.hpp"
#include "store/run_index.hpp"

namespace kfrun::cli {

namespace {

// The run index and reports are kfrun's files, but they may be damaged or edited: fields are read
// with defaults (value() and get<T>() threw on a field of another type).
using base::json_fields::string_of;

struct LogsOptions {
    std::string data_dir;
    std::string run;
    std::string step;
    bool follow = false;
    bool no_color = false;
};

struct LoggedStep {
    std::string id;
    std::string label;
};

// The steps that wrote a log, in the order they first wrote (the steps.tsv index the log
// observers keep beside the logs; a node listed twice is shown once).
std::vector<LoggedStep> read_step_index(const std::filesystem::path& logs) {
    std::vector<LoggedStep> steps;
    std::set<std::string> seen;
    std::ifstream in(logs / "steps.tsv");
    std::string line;
    while (std::getline(in, line)) {
        std::size_t tab = line.find('\t');
        if (tab != std::string::npos && seen.insert(line.substr(0, tab)).second) {
            steps.push_back({line.substr(0, tab), base::unescape_tsv_field(line.substr(tab + 1))});
        }
    }
    return steps;
}

bool matches(const std::string& wanted, const std::string& id, const std::string& label) {
    if (wanted.empty() || wanted == id || wanted == label) {
        return true;
    }
    // "train" matches "for-loop-1(0:a)/train": the last part of a label.
    std::size_t slash = label.rfind('/');
    return slash != std::string::npos && label.substr(slash + 1) == wanted;
}

// Prints the logs of the steps `wanted` matches (all when empty); while `follow`, keeps
// reading until the run is no longer Running. True when some step had a log.
bool print_logs(const Terminal& terminal, const std::filesystem::path& logs,
                const std::string& wanted, bool follow, store::RunIndex& index,
                const std::string& run_id) {
    const bool following = follow;
    std::map<std::string, std::streamoff> offsets;
    bool any = false;
    while (true) {
        for (const auto& [id, label] : read_step_index(logs)) {
            if (!matches(wanted, id, label)) {
                continue;
            }
            std::ifstream in(logs / step_log_file_name(id));
            if (!in) {
                continue;
            }
            in.seekg(offsets[id]);
            std::string line;
            bool header = offsets[id] == 0 && !following;
            while (std::getline(in, line)) {
                if (in.eof() && follow) {
                    break;  // perhaps a partial line: read it again when it is complete
                }
                // The log files keep a step's bytes as written; what is printed shows its
                // control characters (escape sequences) instead of sending them.
                const std::string shown = base::visible_text(label);
                if (header) {
                    std::cout << terminal.bold("── " + shown) << "\n";
                    header = false;
                }
                std::cout << (following ? terminal.dim("[" + shown + "] ") : "")
                          << base::visible_text(line) << "\n";
                in.clear();
                offsets[id] = in.tellg();
                any = true;
            }
        }
        if (!follow) {
            break;
        }
        std::cout << std::flush;
        auto run = index.get(run_id);
        if (run.ok() && *run && string_of((*run)->summary, "status") != "Running") {
            follow = false;  // one more pass for what the last steps wrote, then stop
            continue;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    return any;
}

// Why step `wanted` has no log, from the run's report: 0 when the step exists (said on
// stderr), k_exit_bad_input when no step of the run has that name.
int explain_missing_log(const Terminal& terminal, const nlohmann::json* report,
                        const std::string& wanted) {
    if (report != nullptr) {
        for (const auto& step : base::json_fields::array_of(*report, "steps")) {
            std::string label = string_of(step, "label", string_of(step, "name"));
            if (!matches(wanted, string_of(step, "id"), label)) {
                continue;
            }
            std::string why = string_of(step, "cache") == "hit"
                                  ? "its result came from the cache; no container ran"
                                  : "it is " + string_of(step, "phase") + " and wrote nothing";
            std::cerr << terminal.dim("(" + base::visible_text(label) + ": no log, " + why + ")")
                      << "\n";
            return k_exit_ok;
        }
    }
    std::cerr << terminal.red("error: ") << "no step `" << base::visible_text(wanted)
              << "` in this run (steps are named as in `kfrun runs show`)\n";
    return k_exit_bad_input;
}

}  // namespace

void add_logs_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<LogsOptions>();
    CLI::App* cmd = app.add_subcommand("logs", "Print the logs of a run's steps");
    cmd->add_option("run", options->run, "Run ID (or a unique prefix)")->required();
    cmd->add_option("step", options->step, "Only this step (its name or label)");
    cmd->add_flag("-f,--follow", options->follow, "Keep printing while the run goes on");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        AppPaths paths = AppPaths::resolve(options->data_dir, "");
        sweep_before_command(paths);
        store::RunIndex index(paths.data_dir / "history");
        auto run = find_run(index, options->run);
        if (!run.ok()) {
            std::cerr << terminal.red("error: ") << run.error().to_string() << "\n";
            exit_code =
                run.error().kind == base::ErrorKind::Input ? k_exit_bad_input : k_exit_environment;
            return;
        }
        std::filesystem::path logs =
            std::filesystem::path(string_of(run->summary, "runDir")) / "logs";
        std::error_code ec;
        if (!std::filesystem::is_directory(logs, ec)) {
            // The folder is gone: the report keeps each step's last lines.
            auto report = load_run_report(paths, *run);
            if (!report.ok()) {
                std::cerr << terminal.red("error: ") << "the run's folder and logs are gone ("
                          << logs.string() << ")\n";
                exit_code = k_exit_environment;
                return;
            }
            std::cerr << terminal.dim(
                             "(the run folder is gone; showing the last lines kept in "
                             "the report)")
                      << "\n";
            bool any = false;
            for (const auto& step : base::json_fields::array_of(*report, "steps")) {
                std::string label = string_of(step, "label", string_of(step, "name"));
                if (!matches(options->step, string_of(step, "id"), label) ||
                    !base::json_fields::member(step, "logTail").is_string()) {
                    continue;
                }
                any = true;
                std::string tail = base::visible_text(string_of(step, "logTail"), true);
                if (!tail.empty() && tail.back() != '\n') {
                    tail += '\n';
                }
                std::cout << terminal.bold("── " + base::visible_text(label)) << "\n" << tail;
            }
            exit_code = any || options->step.empty()
                            ? k_exit_ok
                            : explain_missing_log(terminal, &*report, options->step);
            return;
        }
        bool any = print_logs(terminal, logs, options->step, options->follow, index, run->run_id);
        exit_code = k_exit_ok;
        if (!any && !options->step.empty()) {
            auto report = load_run_report(paths, *run);
            exit_code =
                explain_missing_log(terminal, report.ok() ? &*report : nullptr, options->step);
        }
    });
}

}  // namespace kfrun::cli
