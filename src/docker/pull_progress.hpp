#pragma once
// PullProgressTracker: the JSON lines of a Docker pull (`{"status","id","progressDetail":
// {"current","total"}}`) summed up per image: bytes downloaded of the layers' known sizes, and
// layers done of layers announced. Pure; any line (garbage, huge numbers, endless ids) is safe.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "engine/container_runtime.hpp"

namespace kfrun::docker {

class PullProgressTracker {
  public:
    explicit PullProgressTracker(std::string image) : m_image(std::move(image)) {}

    // One line of the pull's body. Returns true when it changed the totals.
    bool add_line(std::string_view line);
    // The totals now (elapsed and finished are the caller's).
    engine::PullProgress snapshot() const;

    static constexpr std::size_t k_max_layers = 4096;

  private:
    struct Layer {
        std::uint64_t current = 0;
        std::uint64_t total = 0;  // 0: not known yet
        bool done = false;        // downloaded and extracted, or already there
        bool present = false;     // "Already exists": no bytes to fetch
    };
    std::string m_image;
    std::map<std::string, Layer> m_layers;
};

}  // namespace kfrun::docker
