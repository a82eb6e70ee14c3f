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
    ImageResolver(ContainerRuntime& runtime, PullPolicy policy)
        : m_runtime(runtime), m_policy(policy) {}

    // Thread-safe; the first caller for a reference does the work, the others wait for it.
    base::Result<ImageInfo> resolve(const std::string& reference);

private:
    ContainerRuntime& m_runtime;
    PullPolicy m_policy;
    std::mutex m_mutex;
    std::map<std::string, std::shared_future<base::Result<ImageInfo>>> m_results;
};

}  // namespace kfrun::engine
