#pragma once
// RunView: a read-only, never-throwing view over a report.json (schema: src/engine/report.cpp).
// Every renderer reads the report through it, so a field that is missing or of another type
// gives a default instead of an exception.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/time.hpp"

namespace kfrun::report {

// object[key] when object is an object holding key, else a null value.
const nlohmann::json& json_field(const nlohmann::json& object, std::string_view key);
// object[key] when it is an array, else an empty array.
const nlohmann::json& json_array(const nlohmann::json& object, std::string_view key);
// A string field; numbers and booleans are printed; anything else gives `fallback`.
std::string json_string(const nlohmann::json& object, std::string_view key,
                        std::string_view fallback = {});
std::string json_text(const nlohmann::json& value);  // the same for a value
std::optional<double> json_number(const nlohmann::json& object, std::string_view key);

// How a phase is shown: succeeded (green), failed (red: Failed and Error), skipped (grey:
// Skipped and Omitted), running (blue: Pending, Running and anything unknown).
enum class PhaseClass { Succeeded, Failed, Skipped, Running };
PhaseClass phase_class(std::string_view phase);
const char* phase_css(std::string_view phase);

struct StepInfo {
    const nlohmann::json* json = nullptr;
    std::size_t index = 0;
    std::string anchor;  // "step-<index>": the element id of the step's section
    std::string id;
    std::string label;
    std::string phase;
    std::string cache;  // hit, miss, disabled, or empty (no container)
    bool cached = false;
    std::string reused_from;  // --only/--from/resume: the earlier run whose result this is
    std::optional<base::SystemTime> started;
    std::optional<base::SystemTime> finished;
    std::optional<long long> duration_ms;  // none for skipped/omitted steps
};

class RunView {
  public:
    explicit RunView(const nlohmann::json& report);

    const nlohmann::json& report() const { return m_report; }
    const std::vector<StepInfo>& steps() const { return m_steps; }
    const StepInfo* step_by_id(std::string_view id) const;

    std::string pipeline_name() const;  // pipeline.name, else workflowName, else "pipeline"
    std::string status() const { return json_string(m_report, "status", "Unknown"); }
    std::optional<base::SystemTime> started() const { return m_started; }
    std::optional<long long> duration_ms() const;
    int count(std::string_view key) const;  // counts.<key>
    long long cache_saved_ms() const;
    // Steps that ran a container (not skipped/omitted, not served from the cache).
    int executed_steps() const;

  private:
    const nlohmann::json& m_report;
    std::vector<StepInfo> m_steps;
    std::optional<base::SystemTime> m_started;
};

std::optional<base::SystemTime> json_time(const nlohmann::json& object, std::string_view key);
// "95ms", "1.2s", "3m04s"; "–" for none.
std::string format_millis(std::optional<long long> ms);
// An RFC 3339 field as "2026-11-25 14:36:33 UTC"; the raw text when it does not parse; "–"
// when absent.
std::string format_time_field(const nlohmann::json& object, std::string_view key);
// "1.5 KiB", "3 B", "2.0 MiB".
std::string format_bytes(double bytes);

}  // namespace kfrun::report
