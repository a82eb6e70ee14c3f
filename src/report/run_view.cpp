#include "report/run_view.hpp"
#include "base/json_text.hpp"

#include <chrono>
#include <cstdio>

namespace kfrun::report {

namespace {

const nlohmann::json& null_json() {
    static const nlohmann::json value;
    return value;
}

const nlohmann::json& empty_array() {
    static const nlohmann::json value = nlohmann::json::array();
    return value;
}

}  // namespace

const nlohmann::json& json_field(const nlohmann::json& object, std::string_view key) {
    if (!object.is_object()) {
        return null_json();
    }
    auto it = object.find(key);
    return it == object.end() ? null_json() : *it;
}

const nlohmann::json& json_array(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json& value = json_field(object, key);
    return value.is_array() ? value : empty_array();
}

std::string json_text(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get_ref<const std::string&>();
    }
    if (value.is_number() || value.is_boolean()) {
        return base::json_text(value);
    }
    return {};
}

std::string json_string(const nlohmann::json& object, std::string_view key,
                        std::string_view fallback) {
    const nlohmann::json& value = json_field(object, key);
    if (value.is_string() || value.is_number() || value.is_boolean()) {
        return json_text(value);
    }
    return std::string(fallback);
}

std::optional<double> json_number(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json& value = json_field(object, key);
    if (value.is_number()) {
        return value.get<double>();
    }
    return std::nullopt;
}

std::optional<base::SystemTime> json_time(const nlohmann::json& object, std::string_view key) {
    const nlohmann::json& value = json_field(object, key);
    if (!value.is_string()) {
        return std::nullopt;
    }
    return base::parse_rfc3339(value.get_ref<const std::string&>());
}

PhaseClass phase_class(std::string_view phase) {
    if (phase == "Succeeded") {
        return PhaseClass::Succeeded;
    }
    if (phase == "Failed" || phase == "Error") {
        return PhaseClass::Failed;
    }
    if (phase == "Skipped" || phase == "Omitted") {
        return PhaseClass::Skipped;
    }
    return PhaseClass::Running;
}

const char* phase_css(std::string_view phase) {
    switch (phase_class(phase)) {
        case PhaseClass::Succeeded:
            return "succeeded";
        case PhaseClass::Failed:
            return "failed";
        case PhaseClass::Skipped:
            return "skipped";
        case PhaseClass::Running:
            return "running";
    }
    return "running";
}

RunView::RunView(const nlohmann::json& report) : m_report(report) {
    m_started = json_time(report, "startedAt");
    const nlohmann::json& steps = json_array(report, "steps");
    m_steps.reserve(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const nlohmann::json& step = steps[i];
        StepInfo info;
        info.json = &step;
        info.index = i;
        info.anchor = "step-" + std::to_string(i);
        info.id = json_string(step, "id");
        info.label = json_string(step, "label", json_string(step, "name", info.id));
        info.phase = json_string(step, "phase", "Unknown");
        info.cache = json_string(step, "cache");
        info.cached = info.cache == "hit";
        info.reused_from = json_string(step, "reusedFromRun");
        info.started = json_time(step, "startedAt");
        info.finished = json_time(step, "finishedAt");
        // A skipped or omitted task never ran: it has a moment, not a duration.
        bool ran = phase_class(info.phase) != PhaseClass::Skipped;
        if (ran && info.started && info.finished && *info.finished >= *info.started) {
            info.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   *info.finished - *info.started)
                                   .count();
        }
        m_steps.push_back(std::move(info));
    }
}

const StepInfo* RunView::step_by_id(std::string_view id) const {
    for (const StepInfo& step : m_steps) {
        if (step.id == id) {
            return &step;
        }
    }
    return nullptr;
}

std::string RunView::pipeline_name() const {
    std::string name = json_string(json_field(m_report, "pipeline"), "name");
    if (name.empty()) {
        name = json_string(m_report, "workflowName");
    }
    return name.empty() ? "pipeline" : name;
}

std::optional<long long> RunView::duration_ms() const {
    if (std::optional<double> ms = json_number(m_report, "durationMs")) {
        return static_cast<long long>(*ms);
    }
    return std::nullopt;
}

int RunView::count(std::string_view key) const {
    std::optional<double> value = json_number(json_field(m_report, "counts"), key);
    return value ? static_cast<int>(*value) : 0;
}

long long RunView::cache_saved_ms() const {
    if (std::optional<double> ms = json_number(m_report, "cacheSavedMs")) {
        return static_cast<long long>(*ms);
    }
    long long total = 0;
    for (const StepInfo& step : m_steps) {
        if (std::optional<double> ms = json_number(*step.json, "cacheSavedMs")) {
            total += static_cast<long long>(*ms);
        }
    }
    return total;
}

int RunView::executed_steps() const {
    int executed = 0;
    for (const StepInfo& step : m_steps) {
        PhaseClass phase = phase_class(step.phase);
        if (!step.cached && phase != PhaseClass::Skipped &&
            !json_field(*step.json, "image").is_null()) {
            ++executed;
        }
    }
    return executed;
}

std::string format_millis(std::optional<long long> ms) {
    if (!ms) {
        return "\xE2\x80\x93";  // en dash
    }
    return base::format_duration(base::Millis(*ms));
}

std::string format_time_field(const nlohmann::json& object, std::string_view key) {
    std::optional<base::SystemTime> time = json_time(object, key);
    if (!time) {
        std::string raw = json_string(object, key);
        return raw.empty() ? "\xE2\x80\x93" : raw;
    }
    std::string text = base::format_rfc3339(*time, false);  // 2026-11-25T14:36:33Z
    if (text.size() == 20 && text[10] == 'T' && text.back() == 'Z') {
        text[10] = ' ';
        text.pop_back();
        text += " UTC";
    }
    return text;
}

std::string format_bytes(double bytes) {
    static const char* const k_units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < 4) {
        bytes /= 1024;
        ++unit;
    }
    char buffer[32];
    if (unit == 0) {
        std::snprintf(buffer, sizeof buffer, "%.0f B", bytes);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f %s", bytes, k_units[unit]);
    }
    return buffer;
}

}  // namespace kfrun::report
