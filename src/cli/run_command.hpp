#pragma once
// `kfrun run PIPELINE`: validate, bind parameters, run every step on the local Docker daemon,
// write the report.
#include <string>
#include <vector>

namespace kfrun::cli {

struct RunCommandOptions {
    std::string pipeline;
    std::vector<std::string> parameters;  // NAME=VALUE
    std::string parameter_file;
    std::vector<std::string> image_maps;  // PATTERN=IMAGE
    std::string image_map_file;
    int parallelism = 0;  // 0: twice the CPU count
    std::string network = "pod";
    std::string pull = "missing";
    std::string report_dir;
    std::string data_dir;
    std::string cache_dir;
    std::string timeout;
    int max_recursion_depth = 100;
    std::vector<std::string> secrets;      // NAME=DIR
    std::vector<std::string> config_maps;  // NAME=DIR
    std::string secrets_file;              // YAML {secret: {key: value}}
    bool skip_unsupported = false;
    bool allow_privileged = false;
    bool no_gpu_ok = false;
    bool keep_containers = false;
    bool dry_run = false;
    bool quiet = false;
    bool verbose = false;
    bool no_color = false;
};

int run_command(const RunCommandOptions& options);

}  // namespace kfrun::cli
