#pragma once
// RetryController: a template with a retryStrategy — attempts `name(0)`, `name(1)`, ... as
// children of a Retry node, with Argo's policies, limit and backoff.
#include <chrono>
#include <optional>

#include "engine/execution_context.hpp"

namespace kfrun::engine {

struct RetryPlan {
    std::optional<int> limit;  // retries after the first attempt; none = while the policy matches
    std::string policy;        // Always, OnFailure (default), OnError, OnTransientError
    std::optional<Millis> backoff_duration;
    int backoff_factor = 1;
    std::optional<Millis> max_duration;
};

// Reads a substituted retryStrategy; errors name the bad field.
base::Result<RetryPlan> make_retry_plan(const model::RetryStrategy& strategy, const Scope& scope);

class RetryController : public NodeController {
public:
    // `attempt` is the call each attempt repeats (its parent becomes the Retry node).
    RetryController(NodeIndex retry_node, CallRequest attempt, RetryPlan plan);

    void begin(ExecutionContext& context);
    void on_child_fulfilled(ExecutionContext& context, NodeIndex child) override;

private:
    void start_attempt(ExecutionContext& context);
    // The run stopped or passed its deadline: no further attempt; true when finished so.
    bool finish_if_run_ended(ExecutionContext& context, const Node& attempt);
    void finish_with(ExecutionContext& context, const Node& attempt, std::string message);

    NodeIndex m_node;
    CallRequest m_attempt;
    RetryPlan m_plan;
    int m_attempts = 0;
    NodeIndex m_last_attempt = k_no_node;
    std::chrono::steady_clock::time_point m_first_start;
};

}  // namespace kfrun::engine
