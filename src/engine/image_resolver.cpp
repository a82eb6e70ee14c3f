#include "engine/image_resolver.hpp"

namespace kfrun::engine {

base::Result<ImageInfo> ImageResolver::resolve(const std::string& reference, PullPolicy policy,
                                               std::string* warning) {
    std::string key = reference + (policy == PullPolicy::Always    ? "|always"
                                   : policy == PullPolicy::Never ? "|never"
                                                                 : "|missing");
    std::promise<base::Result<ImageInfo>> promise;
    std::shared_future<base::Result<ImageInfo>> future;
    bool first = false;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_results.find(key);
        if (it == m_results.end()) {
            future = promise.get_future().share();
            m_results.emplace(key, future);
            first = true;
        } else {
            future = it->second;
        }
    }
    if (first) {
        auto resolved = m_runtime.resolve_image(reference, policy, m_on_progress);
        if (!resolved.ok() && policy == PullPolicy::Always) {
            auto local = m_runtime.resolve_image(reference, PullPolicy::Never, {});
            if (local.ok()) {
                resolved = std::move(local);
            }
        }
        promise.set_value(std::move(resolved));
    }
    auto result = future.get();
    if (warning != nullptr && result.ok() && policy == PullPolicy::Always && !result->pulled) {
        *warning = "imagePullPolicy Always: " + reference +
                   " could not be pulled; the local image was used";
    }
    if (warning != nullptr && result.ok()) {
        for (const std::string& said : result->warnings) {
            *warning += (warning->empty() ? "" : "; ") + said;
        }
    }
    return result;
}

}  // namespace kfrun::engine
