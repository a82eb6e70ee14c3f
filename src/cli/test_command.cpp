// `kfrun test [PATH…]`: finds the test files (`*.kfrun-test.yaml`) under PATHs, runs their cases
// against the Docker daemon (several at once), prints progress and a table, writes JUnit XML.
#include <algorithm>
#include <iostream>
#include <thread>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "cli/case_runner.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/test_reporter.hpp"
#include "cli/test_session.hpp"

namespace kfrun::cli {

namespace {

int fail(const Terminal& terminal, const base::Error& error, int code) {
    std::cerr << (error.where.empty() ? "" : error.where + ": ") << terminal.red("error: ")
              << error.message << "\n";
    return code;
}

// Flags that can be checked before anything runs.
base::Result<void> check_settings(const TestSettings& settings) {
    if (settings.parallel < 1) {
        return base::make_error(base::ErrorKind::Input, "must be at least 1", "--parallel");
    }
    if (!settings.timeout.empty() && !base::parse_go_duration(settings.timeout)) {
        return base::make_error(base::ErrorKind::Input,
                                "not a duration: '" + settings.timeout + "' (e.g. 90s, 10m, 1h)",
                                "--timeout");
    }
    std::error_code ec;
    if (!settings.image_map_file.empty() &&
        !std::filesystem::is_regular_file(settings.image_map_file, ec)) {
        return base::make_error(base::ErrorKind::Input, "no such file: " + settings.image_map_file,
                                "--image-map-file");
    }
    for (const std::string& rule : settings.image_maps) {
        if (rule.find('=') == std::string::npos) {
            return base::make_error(base::ErrorKind::Input,
                                    "expected PATTERN=IMAGE, got '" + rule + "'", "--image-map");
        }
    }
    return base::ok();
}

int run_tests(TestSettings settings) {
    Terminal terminal = Terminal::detect(settings.no_color);
    if (auto checked = check_settings(settings); !checked.ok()) {
        return fail(terminal, checked.error(), k_exit_bad_input);
    }
    if (settings.paths.empty()) {
        settings.paths.push_back(".");
    }
    TestReporter reporter(terminal, settings.verbose);
    auto plan = plan_test_session(settings, reporter);
    if (!plan.ok()) {
        return fail(terminal, plan.error(), k_exit_bad_input);
    }
    if (plan->files == 0) {
        std::cerr << terminal.red("error: ") << "no test files under "
                  << base::join(settings.paths, ", ")
                  << " (kfrun test looks for files named *.kfrun-test.yaml or kfrun-test.yaml; "
                     "see docs/testing.md)\n";
        return k_exit_bad_input;
    }
    if (plan->work.empty() && plan->malformed == 0) {
        std::cerr << terminal.red("error: ") << "no case matches -k "
                  << base::join(settings.patterns, ", -k ") << " (" << plan->total_cases
                  << (plan->total_cases == 1 ? " case in " : " cases in ") << plan->files
                  << (plan->files == 1 ? " test file)\n" : " test files)\n");
        return k_exit_bad_input;
    }

    AppPaths paths = AppPaths::resolve(settings.data_dir, settings.cache_dir);
    std::unique_ptr<Workspace> workspace;
    if (!plan->work.empty()) {
        auto opened = Workspace::open(paths);
        if (!opened.ok()) {
            return fail(terminal, opened.error(), k_exit_environment);
        }
        workspace = std::move(opened.value());
        // One look at the daemon before the cases, so "Docker is not running" is said once.
        auto runtime = workspace->new_runtime();
        if (!runtime.ok()) {
            return fail(terminal, runtime.error(), k_exit_environment);
        }
    }

    auto started = std::chrono::steady_clock::now();
    int parallel = std::min<int>(settings.parallel, std::max<int>(1, plan->work.size()));
    reporter.session_started(plan->files, static_cast<int>(plan->work.size()), parallel);
    bool interrupted = false;
    if (workspace) {
        interrupted = run_test_session(*plan, *workspace, settings, reporter);
    }
    std::vector<harness::SuiteResult> results = std::move(plan->results);
    auto wall_time = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);

    std::string junit_file;
    if (!settings.junit.empty()) {
        auto written = write_junit_file(settings.junit, results);
        if (written.ok()) {
            junit_file = settings.junit;
        } else {
            fail(terminal, written.error(), k_exit_environment);
        }
    }
    reporter.summary(results, wall_time, junit_file);
    if (interrupted) {
        return k_exit_interrupted;
    }
    TestTotals totals = count_results(results);
    bool passed = totals.failed == 0 && totals.errors == 0 && totals.malformed == 0;
    if (!settings.junit.empty() && junit_file.empty()) {
        return k_exit_environment;
    }
    return passed ? k_exit_ok : k_exit_run_failed;
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
    auto settings = std::make_shared<TestSettings>();
    settings->parallel = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    CLI::App* cmd = app.add_subcommand(
        "test",
        "Run component and pipeline tests: the cases of every *.kfrun-test.yaml under PATHs "
        "(default: the current folder); see docs/testing.md");
    cmd->add_option("paths", settings->paths,
                    "Test files, or folders to search for *.kfrun-test.yaml (default: .)");
    cmd->add_option("-k", settings->patterns,
                    "Run only the cases matching PATTERN: a substring of SUITE/CASE, or a glob "
                    "(repeatable)")
        ->type_name("PATTERN");
    cmd->add_option("--junit", settings->junit, "Write a JUnit XML report to FILE")
        ->type_name("FILE");
    cmd->add_flag("--update-golden", settings->update_golden,
                  "Write each golden file from the actual output instead of comparing");
    cmd->add_option("-j,--parallel", settings->parallel,
                    "Cases running at once (default: the CPU count)")
        ->type_name("N");
    cmd->add_option("--image-map", settings->image_maps,
                    "Run IMAGE where a component or pipeline names PATTERN: PATTERN=IMAGE "
                    "(repeatable; after the test files' own rules)");
    cmd->add_option("--image-map-file", settings->image_map_file,
                    "File of image mappings ({pattern: image}, or lines PATTERN=IMAGE)");
    cmd->add_flag("--no-cache", settings->no_cache,
                  "Run every step even when the cache has its result (`cache: second-run-hits` "
                  "cases still use it for their second run)");
    cmd->add_option("--data-dir", settings->data_dir,
                    "State directory: runs, artifacts (default: $XDG_DATA_HOME/kfrun)");
    cmd->add_option("--cache-dir", settings->cache_dir,
                    "The step cache's index (default: $XDG_CACHE_HOME/kfrun)");
    cmd->add_option("--timeout", settings->timeout,
                    "Stop a case's run after this long, unless its test file sets `timeout` "
                    "(e.g. 5m)");
    cmd->add_option("--pull", settings->pull, "Pull images: always, missing (default), never")
        ->check(CLI::IsMember({"always", "missing", "never"}));
    cmd->add_flag("-v,--verbose", settings->verbose,
                  "Print each failure's details as soon as the case ends");
    cmd->add_flag("--no-color", settings->no_color, "No colours");
    cmd->callback([settings, &exit_code] { exit_code = run_tests(*settings); });
}

}  // namespace kfrun::cli
