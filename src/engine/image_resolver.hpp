#pragma once
// ImageResolver: resolves each image reference to its Id once per run, however many steps and
// threads ask for it.
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "base/result.hpp"
#include "engine/container_runtime.hpp"

namespace kfrun::engine {

class ImageResolver {
public:
    explicit ImageResolver(ContainerRuntime& runtime, PullListener on_progress = {})
        : m_runtime(runtime), m_on_progress(std::move(on_progress)) {}

    // Thread-safe; the first caller for a reference and policy does the work, the others wait
    // for it. With PullPolicy::Always a failed pull falls back to a local image of that name
    // (offline machines), which `warning` then says, as it says the image's own warnings.
    base::Result<ImageInfo> resolve(const std::string& reference, PullPolicy policy,
                                    std::string* warning = nullptr);

private:
    ContainerRuntime& m_runtime;
    PullListener m_on_progress;
    std::mutex m_mutex;
    std::map<std::string, std::shared_future<base::Result<ImageInfo>>> m_results;
};

}  // namespace kfrun::engine
