#pragma once
// Containers of kfrun's own pause image (pause_image.hpp; a single static /pause, no shell):
//  - network sandboxes other containers join with NetworkMode "container:<id>" (the run's in
//    Pod mode, a step's own when it has sidecars in Bridge or None mode);
//  - created-only helpers whose mounts the archive calls reach (copy_volume);
//  - the GPU probe (a started container with a GPU device request).
#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "docker/docker_client.hpp"

namespace kfrun::docker {

struct PauseContainerSpec {
    struct VolumeMount {
        std::string volume;
        std::string target;
        bool read_only = false;
    };
    std::string image_id;  // the pause image's Id
    std::string name;      // "" lets Docker pick one
    std::map<std::string, std::string> labels;
    std::string network_mode = "none";
    std::vector<VolumeMount> mounts;
    bool gpus = false;  // DeviceRequests: all GPUs
};

// The POST /containers/create body. Pure.
std::string pause_create_body(const PauseContainerSpec& spec);

// Creates the container; its Id.
base::Result<std::string> create_pause_container(const DockerClient& client,
                                                 const PauseContainerSpec& spec);
// Creates and starts it; on a failed start the container is removed again.
base::Result<std::string> start_pause_container(const DockerClient& client,
                                                const PauseContainerSpec& spec);

}  // namespace kfrun::docker
