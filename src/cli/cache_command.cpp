// `kfrun cache stats | ls | prune | clear`: look after the step cache's index.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "base/strings.hpp"
#include "base/time.hpp"
#include "cli/app_paths.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/size_text.hpp"
#include "cli/terminal.hpp"
#include "cli/text_table.hpp"
#include "store/rocks_step_cache.hpp"

namespace kfrun::cli {

namespace {

struct CacheOptions {
    std::string cache_dir;
    std::string output;  // "" or "json"
    std::string older_than;
    std::string max_size;
    bool no_color = false;
};

int error_out(const Terminal& terminal, const base::Error& error) {
    std::cerr << terminal.red("error: ") << error.to_string() << "\n";
    return error.kind == base::ErrorKind::Input ? k_exit_bad_input : k_exit_environment;
}

nlohmann::json info_json(const store::CacheEntryInfo& info) {
    return {{"key", info.key},
            {"step", info.step},
            {"pipeline", info.pipeline},
            {"runId", info.run_id},
            {"createdAt", base::format_rfc3339(info.created_at)},
            {"runTimeMs", info.run_time.count()},
            {"artifactBytes", info.artifact_bytes}};
}

}  // namespace

void add_cache_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<CacheOptions>();
    CLI::App* cache = app.add_subcommand("cache", "Inspect and clean the step cache");
    cache->require_subcommand(1);
    cache->fallthrough();
    cache->add_option("--cache-dir", options->cache_dir,
                      "The step cache's directory (default: $XDG_CACHE_HOME/kfrun)");
    cache->add_flag("--no-color", options->no_color, "No colours");
    auto open = [options]() {
        AppPaths paths = AppPaths::resolve("", options->cache_dir);
        return std::make_unique<store::RocksStepCache>(paths.cache_dir / "index");
    };

    CLI::App* stats = cache->add_subcommand("stats", "How many results the cache holds");
    stats->add_option("-o,--output", options->output, "json for machine-readable output")
        ->check(CLI::IsMember({"json"}));
    stats->callback([options, open, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        auto index = open();
        auto result = index->stats();
        if (!result.ok()) {
            exit_code = error_out(terminal, result.error());
            return;
        }
        const store::CacheStats& s = *result;
        if (options->output == "json") {
            nlohmann::json out = {{"entries", s.entries},
                                  {"unreadable", s.unreadable},
                                  {"artifactBytes", s.artifact_bytes},
                                  {"dir", index->dir().string()}};
            if (s.oldest) {
                out["oldest"] = base::format_rfc3339(*s.oldest);
                out["newest"] = base::format_rfc3339(*s.newest);
            }
            std::cout << base::json_text(out, 2) << "\n";
        } else {
            std::cout << "cache:      " << index->dir().string() << "\n"
                      << "entries:    " << s.entries << "\n"
                      << "artifacts:  " << human_bytes(s.artifact_bytes) << "\n";
            if (s.oldest) {
                std::cout << "oldest:     " << base::format_rfc3339(*s.oldest) << "\n"
                          << "newest:     " << base::format_rfc3339(*s.newest) << "\n";
            }
            if (s.unreadable > 0) {
                std::cout << "unreadable: " << s.unreadable
                          << " (written by another kfrun version; never used)\n";
            }
        }
        exit_code = k_exit_ok;
    });

    CLI::App* ls = cache->add_subcommand("ls", "List cached step results, newest first");
    ls->add_option("-o,--output", options->output, "json for machine-readable output")
        ->check(CLI::IsMember({"json"}));
    ls->callback([options, open, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        auto listing = open()->list();
        if (!listing.ok()) {
            exit_code = error_out(terminal, listing.error());
            return;
        }
        if (options->output == "json") {
            nlohmann::json out = nlohmann::json::array();
            for (const auto& info : listing->entries) {
                out.push_back(info_json(info));
            }
            std::cout << base::json_text(out, 2) << "\n";
        } else {
            TextTable table({"KEY", "STEP", "CREATED", "RUN TIME", "ARTIFACTS"});
            for (const auto& info : listing->entries) {
                table.add({info.key.substr(0, 12), info.step, base::format_rfc3339(info.created_at),
                           base::format_duration(info.run_time), human_bytes(info.artifact_bytes)});
            }
            table.print(std::cout);
        }
        exit_code = k_exit_ok;
    });

    CLI::App* prune = cache->add_subcommand("prune", "Forget old results, or the oldest until the "
                                                     "cache fits a size");
    prune->add_option("--older-than", options->older_than, "e.g. 30d, 12h, P7D");
    prune->add_option("--max-size", options->max_size, "e.g. 500M, 2G (summed artifact sizes)");
    prune->callback([options, open, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        std::optional<base::Millis> older_than;
        std::optional<std::uint64_t> max_size;
        if (!options->older_than.empty() && !(older_than = parse_age(options->older_than))) {
            exit_code = error_out(terminal, base::make_error(base::ErrorKind::Input,
                                                             "expected an age such as 30d or 12h",
                                                             "--older-than"));
            return;
        }
        if (!options->max_size.empty() && !(max_size = parse_size(options->max_size))) {
            exit_code = error_out(terminal, base::make_error(base::ErrorKind::Input,
                                                             "expected a size such as 500M or 2G",
                                                             "--max-size"));
            return;
        }
        if (!older_than && !max_size) {
            exit_code = error_out(terminal, base::make_error(base::ErrorKind::Input,
                                                             "give --older-than and/or --max-size",
                                                             "kfrun cache prune"));
            return;
        }
        auto removed = open()->prune(older_than, max_size, std::chrono::system_clock::now());
        if (!removed.ok()) {
            exit_code = error_out(terminal, removed.error());
            return;
        }
        std::uint64_t bytes = 0;
        for (const auto& info : *removed) {
            bytes += info.artifact_bytes;
        }
        std::cout << "removed " << removed->size() << " entries (" << human_bytes(bytes)
                  << " of artifacts no longer referenced by the cache)\n";
        exit_code = k_exit_ok;
    });

    CLI::App* clear = cache->add_subcommand("clear", "Forget every cached result");
    clear->callback([options, open, &exit_code] {
        Terminal terminal = Terminal::detect(options->no_color);
        auto removed = open()->clear();
        if (!removed.ok()) {
            exit_code = error_out(terminal, removed.error());
            return;
        }
        std::cout << "removed " << *removed << " entries\n";
        exit_code = k_exit_ok;
    });
}

}  // namespace kfrun::cli
