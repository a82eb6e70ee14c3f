#pragma once
// `kfrun run PIPELINE`: validate, bind parameters, run every step on the local Docker daemon,
// write the report.
#include <string>
#include <vector>

#include "cli/run_options_builder.hpp"

namespace kfrun::cli {

struct RunCommandOptions {
    std::string pipeline;
    std::string resume;  // `kfrun resume RUN`: the run to continue (pipeline and flags from it)
    RunFlags flags;
    std::vector<std::string> input_files;  // --input-file NAME=PATH: pipeline input artifacts
    std::string report_dir;
    std::string data_dir;
    std::string cache_dir;
    std::string experiment;
    bool quiet = false;
    bool verbose = false;
    bool no_color = false;
};

int run_command(const RunCommandOptions& options);

}  // namespace kfrun::cli
