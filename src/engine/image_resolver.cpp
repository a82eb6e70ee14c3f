#include "engine/image_resolver.hpp"

namespace kfrun::engine {

base::Result<ImageInfo> ImageResolver::resolve(const std::string& reference) {
    std::promise<base::Result<ImageInfo>> promise;
    std::shared_future<base::Result<ImageInfo>> future;
    bool first = false;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_results.find(reference);
        if (it == m_results.end()) {
            future = promise.get_future().share();
            m_results.emplace(reference, future);
            first = true;
        } else {
            future = it->second;
        }
    }
    if (first) {
        promise.set_value(m_runtime.resolve_image(reference, m_policy));
    }
    return future.get();
}

}  // namespace kfrun::engine
