#include "cli/run_printer.hpp"

#include <iostream>

#include "base/strings.hpp"
#include "base/time.hpp"
#include "base/visible_text.hpp"
#include "engine/report.hpp"

namespace kfrun::cli {

void print_plan(const engine::RunState& state, const Terminal& terminal) {
    std::cout << terminal.bold("Plan") << " (dry run: nothing was started)\n";
    int index = 0;
    for (const engine::Node& node : state.nodes()) {
        if (node.type == engine::NodeType::Skipped) {
            std::cout << "     " << terminal.yellow("⊘ " + base::visible_text(node.display_name))
                      << "  "
                      << terminal.dim(
                             std::string(engine::to_string(node.phase)) +
                             (node.message.empty() ? "" : ": " + base::visible_text(node.message)))
                      << "\n";
            continue;
        }
        if (node.type != engine::NodeType::Pod || !node.step) {
            continue;
        }
        const engine::StepRecord& step = *node.step;
        std::cout << "  " << ++index << ". " << terminal.bold(base::visible_text(node.display_name))
                  << "  "
                  << terminal.dim("(" +
                                  base::visible_text(node.name.substr(state.workflow_name.size())) +
                                  ")")
                  << "\n";
        std::cout << "     image:   " << step.image;
        if (step.image != step.original_image) {
            std::cout << terminal.dim("  (mapped from " + step.original_image + ")");
        }
        std::cout << "\n";
        std::vector<std::string> argv;
        for (const std::string& word : step.command) {
            argv.push_back(base::shell_quote(word));
        }
        for (const std::string& word : step.args) {
            argv.push_back(base::shell_quote(word));
        }
        std::string command = argv.empty() ? "(the image's command)" : base::join(argv, " ");
        if (command.size() > 400) {
            command = command.substr(0, 400) + "…";
        }
        std::cout << "     command: " << base::visible_text(command) << "\n";
        for (const engine::NamedArtifact& input : step.input_artifacts) {
            std::cout << "     input:   " << base::visible_text(input.name) << " → "
                      << base::visible_text(input.path) << "\n";
        }
    }
}

void print_summary(const engine::RunState& state, const Terminal& terminal) {
    int succeeded = 0, failed = 0, skipped = 0, cached = 0, reused = 0;
    for (const engine::Node& node : state.nodes()) {
        if (!engine::is_report_step(node)) {
            continue;
        }
        if (node.phase == engine::NodePhase::Succeeded) {
            ++succeeded;
        } else if (engine::is_failed_or_error(node.phase)) {
            ++failed;
        } else if (node.fulfilled()) {
            ++skipped;
        }
        if (node.step && node.step->cache == engine::CacheOutcome::Hit) {
            ++cached;
        }
        if (node.step && node.step->cache == engine::CacheOutcome::Reused) {
            ++reused;
        }
    }
    auto elapsed =
        std::chrono::duration_cast<base::Millis>(state.finished_at - state.started_at);
    std::string status = engine::to_string(state.phase);
    status = state.phase == engine::NodePhase::Succeeded ? terminal.green(status)
                                                         : terminal.red(status);
    std::cout << "\nRun " << status << " in " << base::format_duration(elapsed) << ": "
              << succeeded << " succeeded";
    if (cached > 0 || reused > 0) {
        std::cout << " ("
                  << (cached > 0 ? std::to_string(cached) + " from cache" : std::string())
                  << (cached > 0 && reused > 0 ? ", " : "")
                  << (reused > 0 ? std::to_string(reused) + " reused from an earlier run"
                                 : std::string())
                  << ")";
    }
    std::cout << ", " << failed << " failed, " << skipped << " skipped\n";
    if (!state.message.empty() && state.phase != engine::NodePhase::Succeeded) {
        std::cout << "  " << base::visible_text(state.message) << "\n";
    }
}

}  // namespace kfrun::cli
