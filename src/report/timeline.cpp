#include "report/timeline.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "report/escape.hpp"

namespace kfrun::report {

namespace {

constexpr double k_width = 1000;
constexpr double k_label_width = 250;
constexpr double k_bar_left = 260;
constexpr double k_bar_width = k_width - k_bar_left - 90;  // room for the note after a bar
constexpr double k_row = 24;
constexpr double k_axis = 26;

struct Segment {
    const char* key;
    const char* title;
    const char* json;
};
constexpr std::array<Segment, 4> k_segments = {{{"pull", "pull", "pullMs"},
                                                {"create", "create", "createMs"},
                                                {"run", "run", "runMs"},
                                                {"collect", "collect", "collectMs"}}};

std::string number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

long long since(base::SystemTime start, base::SystemTime time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time - start).count();
}

std::string rect(double x, double y, double width, double height, const std::string& css,
                 const std::string& title) {
    return "<rect class=\"" + css + "\" x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" +
           number(std::max(width, 0.0)) + "\" height=\"" + number(height) + "\"><title>" +
           escape_html(title) + "</title></rect>";
}

}  // namespace

long long timeline_tick_ms(long long total_ms) {
    long long step = 1;
    while (true) {
        for (long long factor : {1LL, 2LL, 5LL}) {
            if (total_ms / (step * factor) <= 8) {
                return step * factor;
            }
        }
        step *= 10;
    }
}

std::string render_timeline(const RunView& run) {
    std::vector<const StepInfo*> rows;
    std::optional<base::SystemTime> start = run.started();
    base::SystemTime end{};
    for (const StepInfo& step : run.steps()) {
        rows.push_back(&step);
        if (step.started && (!start || *step.started < *start)) {
            start = step.started;
        }
        if (step.finished && *step.finished > end) {
            end = *step.finished;
        }
    }
    if (rows.empty()) {
        return "<p class=\"empty\">No steps.</p>";
    }
    if (!start) {
        return "<p class=\"empty\">No step has started: nothing to draw.</p>";
    }
    std::stable_sort(rows.begin(), rows.end(), [](const StepInfo* a, const StepInfo* b) {
        if (a->started.has_value() != b->started.has_value()) {
            return a->started.has_value();
        }
        return a->started && *a->started < *b->started;
    });
    long long total = std::max<long long>(since(*start, std::max(end, *start)), 1);
    double scale = k_bar_width / static_cast<double>(total);
    double height = k_axis + k_row * static_cast<double>(rows.size()) + 8;
    std::string svg = "<svg class=\"timeline\" viewBox=\"0 0 " + number(k_width) + " " +
                      number(height) + "\" role=\"img\" aria-label=\"Step timeline\">";
    long long tick = timeline_tick_ms(total);
    for (long long t = 0; t <= total; t += tick) {
        double x = k_bar_left + static_cast<double>(t) * scale;
        svg += "<line class=\"tick-line\" x1=\"" + number(x) + "\" y1=\"" + number(k_axis - 6) +
               "\" x2=\"" + number(x) + "\" y2=\"" + number(height) + "\"/>";
        svg += "<text class=\"tick\" x=\"" + number(x) + "\" y=\"" + number(k_axis - 10) +
               "\" text-anchor=\"middle\">" + escape_html(format_millis(t)) + "</text>";
    }
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const StepInfo& step = *rows[r];
        double y = k_axis + k_row * static_cast<double>(r);
        std::string phase = phase_css(step.phase);
        svg += "<g class=\"tl-row phase-" + phase + (step.cached ? " cached" : "") +
               "\" data-step=\"" + std::to_string(step.index) + "\">";
        svg += "<a href=\"#" + step.anchor + "\"><text class=\"tl-label\" x=\"" +
               number(k_label_width) + "\" y=\"" + number(y + k_row / 2 + 4) +
               "\" text-anchor=\"end\"><title>" + escape_html(step.label) + "</title>" +
               escape_html(truncate_text(step.label, 36)) + "</text></a>";
        double bar_y = y + 5;
        double bar_height = k_row - 10;
        if (!step.started) {
            svg += "<text class=\"tl-note\" x=\"" + number(k_bar_left + 4) + "\" y=\"" +
                   number(y + k_row / 2 + 4) + "\">" + escape_html(step.phase) + "</text></g>";
            continue;
        }
        double x = k_bar_left + static_cast<double>(since(*start, *step.started)) * scale;
        long long span = step.duration_ms.value_or(0);
        double span_width = static_cast<double>(span) * scale;
        const nlohmann::json& timings = json_field(*step.json, "timings");
        std::string summary = step.label + ": " + format_millis(span);
        if (step.cached || phase_class(step.phase) == PhaseClass::Skipped || !timings.is_object()) {
            std::string note = step.cached ? "cached" : step.phase;
            if (step.cached) {
                if (std::optional<double> saved = json_number(*step.json, "cacheSavedMs")) {
                    note += ", saved " + format_millis(static_cast<long long>(*saved));
                }
            }
            svg += rect(x, bar_y, std::max(span_width, 3.0), bar_height,
                        step.cached ? "seg-cached" : "seg-other", summary + " (" + note + ")");
            svg += "<text class=\"tl-note\" x=\"" + number(x + std::max(span_width, 3.0) + 6) +
                   "\" y=\"" + number(y + k_row / 2 + 4) + "\">" + escape_html(note) +
                   "</text></g>";
            continue;
        }
        std::array<double, 4> parts{};
        double sum = 0;
        for (std::size_t i = 0; i < k_segments.size(); ++i) {
            parts[i] = std::max(json_number(timings, k_segments[i].json).value_or(0), 0.0);
            sum += parts[i];
        }
        double shrink =
            sum > static_cast<double>(span) && sum > 0 ? static_cast<double>(span) / sum : 1;
        std::string tip = summary;
        for (std::size_t i = 0; i < k_segments.size(); ++i) {
            tip += std::string(" \xC2\xB7 ") + k_segments[i].title + " " +
                   format_millis(static_cast<long long>(parts[i]));
        }
        if (std::optional<double> cleanup = json_number(timings, "cleanupMs")) {
            tip += " \xC2\xB7 cleanup " + format_millis(static_cast<long long>(*cleanup));
        }
        svg += rect(x, bar_y, std::max(span_width, 2.0), bar_height, "seg-other", tip);
        double cursor = x;
        for (std::size_t i = 0; i < k_segments.size(); ++i) {
            double width = parts[i] * shrink * scale;
            if (width <= 0) {
                continue;
            }
            svg +=
                rect(cursor, bar_y, width, bar_height, std::string("seg-") + k_segments[i].key,
                     std::string(k_segments[i].title) + " " +
                         format_millis(static_cast<long long>(parts[i])) + " \xE2\x80\x94 " + tip);
            cursor += width;
        }
        svg += "<text class=\"tl-note\" x=\"" + number(x + std::max(span_width, 2.0) + 6) +
               "\" y=\"" + number(y + k_row / 2 + 4) + "\">" + escape_html(format_millis(span)) +
               "</text></g>";
    }
    svg += "</svg>";
    std::string legend = "<ul class=\"legend\">";
    for (const Segment& segment : k_segments) {
        legend += std::string("<li><span class=\"swatch seg-") + segment.key + "\"></span>" +
                  segment.title + "</li>";
    }
    legend +=
        "<li><span class=\"swatch seg-other\"></span>other (clean-up, scheduling)</li>"
        "<li><span class=\"swatch seg-cached\"></span>cached</li></ul>";
    return legend + "<div class=\"timeline-wrap\">" + svg + "</div>";
}

}  // namespace kfrun::report
