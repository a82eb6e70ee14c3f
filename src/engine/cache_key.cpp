#include "engine/cache_key.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "base/json_text.hpp"
#include "base/sha256.hpp"
#include "base/strings.hpp"

namespace kfrun::engine {

namespace {

// A value as one line: JSON string quoting keeps newlines and separators unambiguous.
std::string quoted(const std::string& value) {
    return base::json_text(nlohmann::json(value));
}

class Record {
public:
    void field(const std::string& tag, const std::string& value) {
        m_text += tag + " " + quoted(value) + "\n";
    }
    void list(const std::string& tag, const std::vector<std::string>& values) {
        for (std::size_t i = 0; i < values.size(); ++i) {
            field(tag + "[" + std::to_string(i) + "]", values[i]);
        }
        field(tag + ".count", std::to_string(values.size()));
    }
    std::string& text() { return m_text; }

private:
    std::string m_text;
};

// securityContext settings that can change what a step writes (`id -u`, a refused chown);
// absent when none is set, so keys from before they were honoured stay the same.
void add_security(Record& record, const std::string& tag, const ContainerSecurity& security) {
    std::string text;
    if (!security.user.empty()) {
        text += " user=" + security.user;
    }
    if (security.read_only_root) {
        text += " read-only-root";
    }
    if (security.no_new_privileges) {
        text += " no-new-privileges";
    }
    for (const std::string& cap : security.cap_add) {
        text += " cap-add=" + cap;
    }
    for (const std::string& cap : security.cap_drop) {
        text += " cap-drop=" + cap;
    }
    if (!text.empty()) {
        record.field(tag, text.substr(1));
    }
}

// An init container or sidecar. Its env and mounts come only from its ContainerKey, the view
// plan_env/plan_mounts made for the key exactly as for the main container (a Secret's value
// appears as a digest); the container's own env, which holds the values, is never read here.
void add_aux(Record& record, const std::string& tag, const AuxContainer& aux,
             const std::vector<ContainerKey>& keys, std::size_t index) {
    static const ContainerKey k_none;
    const ContainerKey& key = index < keys.size() ? keys[index] : k_none;
    record.field(tag + ".name", aux.name);
    record.field(tag + ".image-id", aux.image_id);
    record.list(tag + ".command", aux.command);
    record.list(tag + ".args", aux.args);
    for (const auto& [name, value] : key.env) {
        record.field(tag + ".env[" + name + "]", value);
    }
    record.field(tag + ".working-dir", aux.working_dir);
    add_security(record, tag + ".security", aux.security);
    for (const std::string& mount : key.mounts) {
        record.field(tag + ".mount", mount);
    }
}

}  // namespace

CacheKey compute_cache_key(const PodJob& job) {
    Record record;
    record.text() = "kfrun-cache-key " + std::to_string(k_cache_key_version) + "\n";
    if (!job.cache.custom_key.empty()) {
        // KFP v2 cachingOptions.cacheKey: the component name and the user's key decide.
        record.field("kfp-cache-key", job.cache.custom_key);
        record.field("pipeline", job.pipeline_name);
    } else if (!job.cache.memoize_key.empty()) {
        // Argo's memoize: the user's key decides, whatever else changed.
        record.field("memoize-key", job.cache.memoize_key);
        record.field("step", job.cache.step);
    } else {
        record.field("image-id", job.spec.image_id);
        record.list("command", job.spec.command);
        record.list("args", job.spec.args);
        if (job.launcher) {
            // As the backend's fingerprint: env is not part of it (a `$(VAR)` it expands is, in
            // argv), and the cache does not cross pipelines.
            record.field("pipeline", job.pipeline_name);
        } else {
            for (const auto& [name, value] : job.key.env) {
                record.field("env[" + name + "]", value);
            }
        }
        record.field("working-dir", job.spec.working_dir);
        std::map<std::string, std::string> parameters(job.input_parameters.begin(),
                                                      job.input_parameters.end());
        for (const auto& [name, value] : parameters) {
            record.field("input-parameter[" + name + "]", value);
        }
        for (const InputPlacement& input : job.spec.inputs) {
            record.field("input-artifact[" + input.container_path + "]",
                         std::string(input.artifact.is_directory() ? "dir " : "file ") +
                             input.artifact.digest);
        }
        for (const model::Parameter& output : job.output_parameters) {
            record.field("output-parameter[" + output.name + "]",
                         "path=" + output.from_path.value_or("") +
                             (output.default_value ? " default=" + *output.default_value : ""));
        }
        for (const model::Artifact& output : job.output_artifacts) {
            record.field("output-artifact[" + output.name + "]",
                         "path=" + output.path + (output.optional ? " optional" : ""));
        }
        for (const std::string& mount : job.key.mounts) {
            record.field("mount", mount);
        }
        record.field("gpus", std::to_string(job.spec.resources.gpus));
        add_security(record, "security", job.spec.security);
        for (std::size_t i = 0; i < job.spec.init_containers.size(); ++i) {
            const std::string tag = "init[" + std::to_string(i) + "]";
            add_aux(record, tag, job.spec.init_containers[i], job.init_keys, i);
            // An init container once got the step's mounts whether it asked or not: a key made
            // then must not stand for a run where it gets its own only.
            record.field(tag + ".step-mounts",
                         job.spec.init_containers[i].mirror_volume_mounts ? "mirrored" : "none");
        }
        for (std::size_t i = 0; i < job.spec.sidecars.size(); ++i) {
            add_aux(record, "sidecar[" + std::to_string(i) + "]", job.spec.sidecars[i],
                    job.sidecar_keys, i);
        }
    }
    CacheKey key;
    key.text = std::move(record.text());
    key.digest = base::sha256_hex(key.text);
    return key;
}

std::vector<std::string> explain_key_difference(const std::string& previous,
                                                const std::string& current) {
    auto fields = [](const std::string& text) {
        std::map<std::string, std::string> out;
        for (const std::string& line : base::split(text, '\n')) {
            std::size_t space = line.find(' ');
            if (!line.empty()) {
                out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(space + 1);
            }
        }
        return out;
    };
    auto before = fields(previous);
    auto after = fields(current);
    std::vector<std::string> changes;
    auto shorten = [](const std::string& value) {
        return value.size() > 80 ? value.substr(0, 77) + "…" : value;
    };
    for (const auto& [tag, value] : after) {
        auto it = before.find(tag);
        if (it == before.end()) {
            changes.push_back(tag + ": (none) → " + shorten(value));
        } else if (it->second != value) {
            changes.push_back(tag + ": " + shorten(it->second) + " → " + shorten(value));
        }
    }
    for (const auto& [tag, value] : before) {
        if (after.count(tag) == 0) {
            changes.push_back(tag + ": " + shorten(value) + " → (none)");
        }
    }
    return changes;
}

}  // namespace kfrun::engine
