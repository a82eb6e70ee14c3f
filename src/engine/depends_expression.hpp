#pragma once
// DependsExpression: a DAG task's `depends` logic ("A && (B.Failed || C.Skipped)"), and the
// `dependencies` list rewritten into it as Argo does.
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/node.hpp"

namespace kfrun::engine {

// What a dependency's node looks like to the logic.
struct TaskResult {
    NodePhase phase = NodePhase::Pending;
    bool any_succeeded = false;  // loops: some iteration Succeeded
    bool all_failed = false;     // loops: there are iterations and every one Failed
};

class DependsExpression {
public:
    // Parses `depends`; task names may contain '-'. Results: Succeeded, Failed, Errored,
    // Skipped, Omitted, Daemoned, AnySucceeded, AllFailed. A bare name means
    // (Succeeded || Skipped || Daemoned).
    static base::Result<DependsExpression> parse(const std::string& text);
    // `dependencies: [A, B]` → (A.Succeeded || A.Skipped || A.Daemoned [|| A.Failed if
    // continueOn.failed] [|| A.Errored if continueOn.error]) && ...
    static DependsExpression from_dependencies(
        const std::vector<std::string>& tasks,
        const std::vector<std::pair<bool, bool>>& continue_on);  // (failed, error) per task

    DependsExpression();
    ~DependsExpression();
    DependsExpression(DependsExpression&&) noexcept;
    DependsExpression& operator=(DependsExpression&&) noexcept;

    const std::set<std::string>& tasks() const { return m_tasks; }
    bool empty() const { return m_root == nullptr; }
    // Requires a result for every task in tasks().
    bool evaluate(const std::function<TaskResult(const std::string&)>& result_of) const;

    struct Expr;

private:
    std::unique_ptr<Expr> m_root;
    std::set<std::string> m_tasks;
};

}  // namespace kfrun::engine
