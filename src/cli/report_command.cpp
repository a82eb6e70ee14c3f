// `kfrun report RUN [--open]`: write a run's report files again (report.html, junit.xml,
// summary.md), from its report.json or the copy the history keeps.
#include <spawn.h>
#include <sys/wait.h>

#include <iostream>
#include <memory>

#include "base/json_fields.hpp"
#include "base/json_text.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report_writer.hpp"
#include "cli/run_history.hpp"
#include "cli/terminal.hpp"
#include "cli/workspace.hpp"
#include "report/run_reports.hpp"

extern char** environ;

namespace kfrun::cli {

namespace {

struct ReportOptions {
    std::string data_dir;
    std::string run;
    bool open = false;
    bool no_color = false;
};

// Opens a file with the desktop's viewer when there is one; false otherwise.
bool open_in_browser(const std::filesystem::path& file) {
    for (const char* opener : {"/usr/bin/xdg-open", "/usr/bin/open"}) {
        std::error_code ec;
        if (!std::filesystem::exists(opener, ec)) {
            continue;
        }
        std::string path = file.string();
        char* argv[] = {const_cast<char*>(opener), path.data(), nullptr};
        pid_t pid = 0;
        if (posix_spawn(&pid, opener, nullptr, nullptr, argv, environ) == 0) {
            int status = 0;
            waitpid(pid, &status, 0);
            return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
    }
    return false;
}

}  // namespace

void add_report_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<ReportOptions>();
    CLI::App* cmd =
        app.add_subcommand("report", "Write a run's report.html, junit.xml and summary.md again");
    cmd->add_option("run", options->run, "Run ID (or a unique prefix)")->required();
    cmd->add_flag("--open", options->open, "Open report.html in the desktop's browser");
    cmd->add_option("--data-dir", options->data_dir,
                    "State directory (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_flag("--no-color", options->no_color, "No colours");
    cmd->callback([options, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        AppPaths paths = AppPaths::resolve(options->data_dir, "");
        auto workspace = Workspace::open(paths);
        if (!workspace.ok()) {
            std::cerr << terminal.red("error: ") << workspace.error().to_string() << "\n";
            exit_code = k_exit_environment;
            return;
        }
        auto run = find_run((*workspace)->runs(), options->run);
        if (!run.ok()) {
            std::cerr << terminal.red("error: ") << run.error().to_string() << "\n";
            exit_code = run.error().kind == base::ErrorKind::Input ? k_exit_bad_input
                                                                   : k_exit_environment;
            return;
        }
        auto report = load_run_report(paths, *run);
        if (!report.ok()) {
            std::cerr << terminal.red("error: ") << report.error().to_string() << "\n";
            exit_code = k_exit_environment;
            return;
        }
        // The report may be damaged or edited: a runDir of another type reads as none.
        std::filesystem::path run_dir = base::json_fields::string_of(*report, "runDir");
        if (run_dir.empty()) {
            run_dir = paths.runs_dir() / run->run_id;
        }
        auto json =
            write_file_atomically(run_dir / "report.json", base::json_text(*report, 2) + "\n");
        auto files = report::write_run_reports(*report, (*workspace)->store(), run_dir);
        if (!json.ok() || !files.ok()) {
            std::cerr << terminal.red("error: ")
                      << (json.ok() ? files.error() : json.error()).to_string() << "\n";
            exit_code = k_exit_environment;
            return;
        }
        for (const std::string& warning : files->warnings) {
            std::cerr << terminal.yellow("warning: ") << warning << "\n";
        }
        std::cout << "Report: " << files->html.string() << "\n"
                  << "JUnit:  " << files->junit.string() << "\n"
                  << "Summary: " << files->summary.string() << "\n";
        if (options->open && !open_in_browser(files->html)) {
            std::cout << "(no desktop browser to open it with here; open the file above)\n";
        }
        exit_code = k_exit_ok;
    });
}

}  // namespace kfrun::cli
