#include "base/limits.hpp"

#include <cctype>
#include <charconv>
#include <optional>

namespace kfrun::base {

namespace {

Limits& current() {
    static Limits value;
    return value;
}

// "16MiB", "2 GiB", "1G", "4096": bytes; nullopt when not a size.
std::optional<std::uint64_t> parse_size(std::string_view text) {
    std::uint64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data()) {
        return std::nullopt;
    }
    std::string unit(end, text.data() + text.size());
    while (!unit.empty() && unit.front() == ' ') {
        unit.erase(0, 1);
    }
    for (char& c : unit) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    int shift = 0;
    if (unit.empty() || unit == "b") {
        shift = 0;
    } else if (unit == "k" || unit == "kib" || unit == "ki") {
        shift = 10;
    } else if (unit == "m" || unit == "mib" || unit == "mi") {
        shift = 20;
    } else if (unit == "g" || unit == "gib" || unit == "gi") {
        shift = 30;
    } else if (unit == "t" || unit == "tib" || unit == "ti") {
        shift = 40;
    } else {
        return std::nullopt;
    }
    if (shift > 0 && number > (UINT64_MAX >> shift)) {
        return std::nullopt;
    }
    return number << shift;
}

}  // namespace

const std::vector<LimitInfo>& limit_table() {
    static const std::vector<LimitInfo> table = {
        {"yaml-bytes", true, "size of one pipeline, component or test file", &Limits::yaml_bytes},
        {"yaml-nodes", false, "YAML nodes in one file, counting each alias use in full",
         &Limits::yaml_nodes},
        {"json-depth", false,
         "nesting of JSON read from parameters and steps (withParam, output parameters, "
         "metrics, UI metadata)",
         &Limits::json_depth},
        {"loop-items", false, "items of one withItems / withParam / withSequence loop",
         &Limits::loop_items},
        {"run-nodes", false, "nodes of one run (steps, groups, loop iterations)",
         &Limits::run_nodes},
        {"output-parameter-bytes", true, "one output parameter file (checked before reading)",
         &Limits::output_parameter_bytes},
        {"step-output-bytes", true, "bytes of one step's declared outputs",
         &Limits::step_output_bytes},
        {"step-output-files", false, "files in one step's declared outputs",
         &Limits::step_output_files},
        {"step-log-bytes", true, "log bytes kept per step (later lines are dropped)",
         &Limits::step_log_bytes},
        {"package-bytes", true, "decompressed pipeline file in a .tar.gz / .zip package",
         &Limits::package_bytes},
    };
    return table;
}

const Limits& limits() {
    return current();
}

void set_limits(const Limits& value) {
    current() = value;
}

Result<void> apply_limit(Limits& target, std::string_view assignment) {
    auto eq = assignment.find('=');
    std::string known;
    for (const LimitInfo& info : limit_table()) {
        known += (known.empty() ? "" : ", ") + std::string(info.name);
    }
    if (eq == std::string_view::npos) {
        return make_error(ErrorKind::Input, "--limit takes NAME=VALUE (names: " + known + ")",
                          std::string(assignment));
    }
    std::string_view name = assignment.substr(0, eq);
    std::string_view value = assignment.substr(eq + 1);
    for (const LimitInfo& info : limit_table()) {
        if (info.name != name) {
            continue;
        }
        std::optional<std::uint64_t> parsed = parse_size(value);
        if (!parsed || (!info.is_size && value.find_first_not_of("0123456789") != value.npos)) {
            return make_error(
                ErrorKind::Input,
                std::string("--limit ") + std::string(name) + " takes " +
                    (info.is_size ? "a size such as 512MiB or 2GiB" : "a whole number") +
                    ", not `" + std::string(value) + "`");
        }
        if (*parsed == 0) {
            return make_error(ErrorKind::Input, "--limit " + std::string(name) + " must be > 0");
        }
        target.*(info.field) = *parsed;
        return {};
    }
    return make_error(ErrorKind::Input,
                      "unknown limit `" + std::string(name) + "` (names: " + known + ")");
}

std::string limit_value_text(const LimitInfo& info, std::uint64_t value) {
    if (info.is_size) {
        static const char* units[] = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < 4; ++i) {
            int shift = 40 - 10 * i;
            if (value >= (1ull << shift) && value % (1ull << shift) == 0) {
                return std::to_string(value >> shift) + units[i];
            }
        }
        return std::to_string(value) + "B";
    }
    return std::to_string(value);
}

std::string limit_hint(std::string_view name) {
    for (const LimitInfo& info : limit_table()) {
        if (info.name == name) {
            return "(limit " + std::string(name) + "=" +
                   limit_value_text(info, limits().*(info.field)) + "; raise it with --limit " +
                   std::string(name) + "=VALUE)";
        }
    }
    return "(limit " + std::string(name) + ")";
}

}  // namespace kfrun::base
