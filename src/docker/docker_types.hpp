#pragma once
// Plain values the Docker client returns (only the fields kfrun reads).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kfrun::docker {

struct DaemonVersion {
    std::string version;          // "20.10.24+dfsg1"
    std::string api_version;      // "1.41"
    std::string min_api_version;  // "1.12"
    std::string git_commit;
    std::string os;
    std::string arch;
};

struct ImageDetails {
    std::string id;  // "sha256:..."
    std::vector<std::string> repo_tags;
    std::vector<std::string> repo_digests;
    std::string user;  // Config.User
};

struct ContainerState {
    std::string status;  // created, running, exited, ...
    bool running = false;
    int exit_code = 0;
    bool oom_killed = false;
    std::string error;  // why the last start failed
};

struct ContainerDetails {
    std::string id;
    std::string name;   // without the leading '/'
    std::string image;  // the image Id
    ContainerState state;
    std::string network_mode;  // HostConfig.NetworkMode
    std::map<std::string, std::string> labels;
    // GraphDriver: "overlay2" with Data.UpperDir and Data.LowerDir (":"-separated, topmost
    // first) on the daemon's host. Other drivers leave the directories empty.
    std::string graph_driver;
    std::string upper_dir;
    std::vector<std::string> lower_dirs;
    // Where something is mounted over the root filesystem: Mounts[].Destination and the keys
    // of HostConfig.Tmpfs.
    std::vector<std::string> mount_points;
};

struct ContainerSummary {
    std::string id;
    std::vector<std::string> names;
    std::string state;
    std::map<std::string, std::string> labels;
};

struct VolumeDetails {
    std::string name;
    std::string driver;      // "local"
    std::string mountpoint;  // the data directory on the daemon's host ("" for some drivers)
    std::map<std::string, std::string> labels;
};

struct WaitResult {
    int status_code = -1;
    std::string error;  // the daemon's Error.Message; empty when none
};

}  // namespace kfrun::docker
