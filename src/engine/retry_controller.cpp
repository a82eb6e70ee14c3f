#include "engine/retry_controller.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "base/integers.hpp"
#include "base/time.hpp"
#include "engine/placeholder.hpp"

namespace kfrun::engine {

base::Result<RetryPlan> make_retry_plan(const model::RetryStrategy& strategy, const Scope& scope) {
    RetryPlan plan;
    auto field_error = [](const std::string& field, const std::string& value) {
        return base::make_error(base::ErrorKind::Step,
                                "retryStrategy." + field + " is not valid: '" + value + "'");
    };
    if (strategy.limit) {
        auto text = substitute(*strategy.limit, scope);
        KFRUN_TRY(text);
        char* end = nullptr;
        long value = std::strtol(text->c_str(), &end, 10);
        if (end == text->c_str() || *end != '\0' || value < 0) {
            return field_error("limit", *text);
        }
        plan.limit = static_cast<int>(std::min<long>(value, INT_MAX));
    }
    plan.policy = strategy.retry_policy.empty() ? "OnFailure" : strategy.retry_policy;
    if (plan.policy != "Always" && plan.policy != "OnFailure" && plan.policy != "OnError" &&
        plan.policy != "OnTransientError") {
        return field_error("retryPolicy", plan.policy);
    }
    if (strategy.backoff) {
        if (!strategy.backoff->duration.empty()) {
            auto text = substitute(strategy.backoff->duration, scope);
            KFRUN_TRY(text);
            plan.backoff_duration = base::parse_go_duration(*text);
            if (!plan.backoff_duration) {
                return field_error("backoff.duration", *text);
            }
        }
        if (!strategy.backoff->factor.empty()) {
            auto text = substitute(strategy.backoff->factor, scope);
            KFRUN_TRY(text);
            plan.backoff_factor = base::saturating_atoi(*text);
            if (plan.backoff_factor <= 0) {
                return field_error("backoff.factor", *text);
            }
        }
        if (!strategy.backoff->max_duration.empty()) {
            auto text = substitute(strategy.backoff->max_duration, scope);
            KFRUN_TRY(text);
            plan.max_duration = base::parse_go_duration(*text);
            if (!plan.max_duration) {
                return field_error("backoff.maxDuration", *text);
            }
        }
    }
    return plan;
}

RetryController::RetryController(NodeIndex retry_node, CallRequest attempt, RetryPlan plan)
    : m_node(retry_node), m_attempt(std::move(attempt)), m_plan(std::move(plan)) {}

void RetryController::begin(ExecutionContext& context) {
    m_first_start = std::chrono::steady_clock::now();
    start_attempt(context);
}

void RetryController::start_attempt(ExecutionContext& context) {
    const Node& retry = context.state().node(m_node);
    CallRequest request = m_attempt;
    request.node_name = retry.name + "(" + std::to_string(m_attempts) + ")";
    request.display_name = retry.display_name + "(" + std::to_string(m_attempts) + ")";
    request.parent = m_node;
    request.retry_attempt = m_attempts;
    ++m_attempts;
    m_last_attempt = context.call(std::move(request));
}

bool RetryController::finish_if_run_ended(ExecutionContext& context, const Node& attempt) {
    std::string stopped = context.stop_reason();
    if (!stopped.empty()) {
        finish_with(context, attempt, attempt.message.empty() ? stopped : attempt.message);
        return true;
    }
    if (context.past_run_deadline()) {
        finish_with(context, attempt, "retry exceeded workflow deadline");
        return true;
    }
    return false;
}

void RetryController::finish_with(ExecutionContext& context, const Node& attempt,
                                  std::string message) {
    Node& retry = context.state().node(m_node);
    retry.outputs = attempt.outputs;
    context.finish(m_node, attempt.phase, std::move(message));
}

void RetryController::on_child_fulfilled(ExecutionContext& context, NodeIndex child) {
    const Node& attempt = context.state().node(child);
    if (attempt.phase == NodePhase::Succeeded || !is_failed_or_error(attempt.phase)) {
        finish_with(context, attempt, attempt.message);
        return;
    }
    if (finish_if_run_ended(context, attempt)) {
        return;
    }
    bool failed = attempt.phase == NodePhase::Failed;
    bool retryable = m_plan.policy == "Always" || (failed && m_plan.policy == "OnFailure") ||
                     (!failed && (m_plan.policy == "OnError" ||
                                  m_plan.policy == "OnTransientError"));
    if (!retryable) {
        finish_with(context, attempt, attempt.message);
        return;
    }
    if (m_plan.limit && m_attempts > *m_plan.limit) {
        finish_with(context, attempt, "No more retries left");
        return;
    }
    auto now = std::chrono::steady_clock::now();
    Millis wait{0};
    if (m_plan.limit && m_plan.backoff_duration) {
        double factor = std::pow(static_cast<double>(m_plan.backoff_factor), m_attempts - 1);
        double ms = static_cast<double>(m_plan.backoff_duration->count()) * factor;
        // Go's time.Duration tops out at ~292 years; so does the wait (no overflow, no UB).
        constexpr double k_max_ms = 9223372036854.0;
        wait = Millis(ms >= 0 && ms < k_max_ms ? static_cast<long long>(ms)
                                               : static_cast<long long>(k_max_ms));
    }
    if (m_plan.max_duration) {
        auto elapsed = std::chrono::duration_cast<Millis>(now - m_first_start);
        if (elapsed > *m_plan.max_duration) {
            finish_with(context, attempt, "Max duration limit exceeded");
            return;
        }
        if (elapsed + wait > *m_plan.max_duration) {
            finish_with(context, attempt, "Backoff would exceed max duration limit");
            return;
        }
    }
    if (wait.count() == 0) {
        start_attempt(context);
        return;
    }
    context.after(base::deadline_after(now, wait), [this, &context] {
        if (!finish_if_run_ended(context, context.state().node(m_last_attempt))) {
            start_attempt(context);
        }
    });
}

}  // namespace kfrun::engine
