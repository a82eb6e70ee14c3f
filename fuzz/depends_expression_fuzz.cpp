// Fuzz target: DAG `depends` expressions (src/engine/depends_expression): parse, then evaluate
// against task results picked from the task names.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/depends_expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto parsed = kfrun::engine::DependsExpression::parse(text);
    if (!parsed.ok()) {
        return 0;
    }
    using kfrun::engine::NodePhase;
    static const NodePhase k_phases[] = {NodePhase::Pending, NodePhase::Running,
                                         NodePhase::Succeeded, NodePhase::Failed,
                                         NodePhase::Error,     NodePhase::Skipped,
                                         NodePhase::Omitted};
    for (unsigned salt = 0; salt < 3; ++salt) {
        (void)parsed->evaluate([salt](const std::string& task) {
            std::size_t h = std::hash<std::string>{}(task) + salt;
            kfrun::engine::TaskResult result;
            result.phase = k_phases[h % (sizeof k_phases / sizeof k_phases[0])];
            result.any_succeeded = (h & 8) != 0;
            result.all_failed = (h & 16) != 0;
            return result;
        });
    }
    return 0;
}
