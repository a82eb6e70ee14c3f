#include "engine/step_spec_json.hpp"

#include <map>

namespace kfrun::engine {

namespace {

using nlohmann::json;

const char* to_string(VolumeMount::Type type) {
    switch (type) {
        case VolumeMount::Type::Volume:
            return "volume";
        case VolumeMount::Type::Bind:
            return "bind";
        case VolumeMount::Type::Tmpfs:
            return "tmpfs";
    }
    return "volume";
}

const char* to_string(PullPolicy policy) {
    switch (policy) {
        case PullPolicy::Always:
            return "always";
        case PullPolicy::Missing:
            return "missing";
        case PullPolicy::Never:
            return "never";
    }
    return "missing";
}

// A variable whose value came from a Secret is kept as where it came from ("secret":
// "SECRET/KEY"), never its value: the value reaches the container and nothing else.
json env_json(const std::vector<std::pair<std::string, std::string>>& env,
              const std::map<std::string, std::string>& secret_env) {
    json out = json::array();
    for (const auto& [name, value] : env) {
        auto secret = secret_env.find(name);
        if (secret != secret_env.end()) {
            out.push_back(json{{"name", name}, {"secret", secret->second}});
        } else {
            out.push_back(json{{"name", name}, {"value", value}});
        }
    }
    return out;
}

json resources_json(const ResourceLimits& resources) {
    json out{{"gpus", resources.gpus}};
    if (resources.memory_bytes) {
        out["memoryBytes"] = *resources.memory_bytes;
    }
    if (resources.nano_cpus) {
        out["nanoCpus"] = *resources.nano_cpus;
    }
    return out;
}

json mounts_json(const std::vector<VolumeMount>& mounts) {
    json out = json::array();
    for (const VolumeMount& mount : mounts) {
        out.push_back(json{{"type", to_string(mount.type)},
                           {"source", mount.source},
                           {"path", mount.container_path},
                           {"subPath", mount.sub_path},
                           {"readOnly", mount.read_only},
                           {"hostPath", mount.host_path},
                           {"labels", mount.labels}});
    }
    return out;
}

json security_json(const ContainerSecurity& security) {
    json out{{"user", security.user},
             {"runAsNonRoot", security.run_as_non_root},
             {"readOnlyRootFilesystem", security.read_only_root},
             {"noNewPrivileges", security.no_new_privileges},
             {"capAdd", security.cap_add},
             {"capDrop", security.cap_drop}};
    if (security.run_as_user) {
        out["runAsUser"] = *security.run_as_user;
    }
    if (security.run_as_group) {
        out["runAsGroup"] = *security.run_as_group;
    }
    return out;
}

json aux_json(const AuxContainer& aux) {
    return json{{"name", aux.name},
                {"image", aux.image},
                {"imageId", aux.image_id},
                {"command", aux.command},
                {"args", aux.args},
                {"env", env_json(aux.env, aux.secret_env)},
                {"workingDir", aux.working_dir},
                {"mounts", mounts_json(aux.mounts)},
                {"mirrorVolumeMounts", aux.mirror_volume_mounts},
                {"resources", resources_json(aux.resources)},
                {"privileged", aux.privileged},
                {"security", security_json(aux.security)}};
}

// Reads fields of one JSON object; the first problem is kept as an Error naming its path.
class Reader {
  public:
    Reader(const json& object, std::string path) : m_object(object), m_path(std::move(path)) {
        if (!m_object.is_object()) {
            fail(m_path.empty() ? "the step spec" : m_path, "an object");
        }
    }

    void string(const char* key, std::string& out) {
        if (const json* value = find(key, &json::is_string, "a string")) {
            out = value->get<std::string>();
        }
    }
    void boolean(const char* key, bool& out) {
        if (const json* value = find(key, &json::is_boolean, "true or false")) {
            out = value->get<bool>();
        }
    }
    void integer(const char* key, int& out) {
        if (const json* value = find(key, &json::is_number_integer, "an integer")) {
            out = value->get<int>();
        }
    }
    void integer(const char* key, std::optional<std::int64_t>& out) {
        if (const json* value = find(key, &json::is_number_integer, "an integer")) {
            out = value->get<std::int64_t>();
        }
    }
    void strings(const char* key, std::vector<std::string>& out) {
        const json* value = find(key, &json::is_array, "a list of strings");
        for (std::size_t i = 0; value && i < value->size(); ++i) {
            if (!(*value)[i].is_string()) {
                fail(at(key) + "[" + std::to_string(i) + "]", "a string");
                return;
            }
            out.push_back((*value)[i].get<std::string>());
        }
    }
    void string_map(const char* key, std::map<std::string, std::string>& out) {
        const json* value = find(key, &json::is_object, "an object of strings");
        if (!value) {
            return;
        }
        for (const auto& [name, item] : value->items()) {
            if (!item.is_string()) {
                fail(at(key) + "." + name, "a string");
                return;
            }
            out[name] = item.get<std::string>();
        }
    }
    void env(const char* key, std::vector<std::pair<std::string, std::string>>& out,
             std::map<std::string, std::string>& secret_env) {
        each(key, [&](Reader& item) {
            std::string name;
            std::string value;
            std::string secret;
            item.string("name", name);
            item.string("value", value);
            item.string("secret", secret);
            if (!secret.empty()) {
                secret_env[name] = secret;
            }
            out.emplace_back(std::move(name), std::move(value));
        });
    }
    // Calls `read` with a Reader over each object of the list at `key`.
    template <class Read>
    void each(const char* key, Read&& read) {
        const json* value = find(key, &json::is_array, "a list");
        for (std::size_t i = 0; value && i < value->size() && !m_error; ++i) {
            Reader item((*value)[i], at(key) + "[" + std::to_string(i) + "]");
            if (!item.m_error) {
                read(item);
            }
            adopt(item);
        }
    }
    template <class Read>
    void object(const char* key, Read&& read) {
        if (const json* value = find(key, &json::is_object, "an object")) {
            Reader item(*value, at(key));
            read(item);
            adopt(item);
        }
    }
    void fail(const std::string& where, const std::string& expected) {
        if (!m_error) {
            m_error = base::make_error(base::ErrorKind::Io, "a step spec field is not " + expected,
                                       where);
        }
    }
    std::string at(const char* key) const { return m_path.empty() ? key : m_path + "." + key; }
    const std::optional<base::Error>& error() const { return m_error; }

  private:
    const json* find(const char* key, bool (json::*check)() const noexcept,
                     const std::string& expected) {
        if (m_error || !m_object.is_object()) {
            return nullptr;
        }
        auto it = m_object.find(key);
        if (it == m_object.end() || it->is_null()) {
            return nullptr;
        }
        if (!((*it).*check)()) {
            fail(at(key), expected);
            return nullptr;
        }
        return &*it;
    }
    void adopt(const Reader& other) {
        if (other.m_error && !m_error) {
            m_error = other.m_error;
        }
    }

    const json& m_object;
    std::string m_path;
    std::optional<base::Error> m_error;
};

void read_resources(Reader& reader, ResourceLimits& out) {
    reader.object("resources", [&](Reader& item) {
        item.integer("gpus", out.gpus);
        item.integer("memoryBytes", out.memory_bytes);
        item.integer("nanoCpus", out.nano_cpus);
    });
}

void read_mounts(Reader& reader, std::vector<VolumeMount>& out) {
    reader.each("mounts", [&](Reader& item) {
        VolumeMount mount;
        std::string type = "volume";
        item.string("type", type);
        if (type == "bind") {
            mount.type = VolumeMount::Type::Bind;
        } else if (type == "tmpfs") {
            mount.type = VolumeMount::Type::Tmpfs;
        } else if (type != "volume") {
            item.fail(item.at("type"), "volume, bind or tmpfs");
        }
        item.string("source", mount.source);
        item.string("path", mount.container_path);
        item.string("subPath", mount.sub_path);
        item.boolean("readOnly", mount.read_only);
        item.boolean("hostPath", mount.host_path);
        item.string_map("labels", mount.labels);
        out.push_back(std::move(mount));
    });
}

void read_security(Reader& reader, ContainerSecurity& out) {
    reader.object("security", [&](Reader& item) {
        item.string("user", out.user);
        item.boolean("runAsNonRoot", out.run_as_non_root);
        item.boolean("readOnlyRootFilesystem", out.read_only_root);
        item.boolean("noNewPrivileges", out.no_new_privileges);
        item.strings("capAdd", out.cap_add);
        item.strings("capDrop", out.cap_drop);
        item.integer("runAsUser", out.run_as_user);
        item.integer("runAsGroup", out.run_as_group);
    });
}

void read_aux(Reader& reader, const char* key, std::vector<AuxContainer>& out) {
    reader.each(key, [&](Reader& item) {
        AuxContainer aux;
        item.string("name", aux.name);
        item.string("image", aux.image);
        item.string("imageId", aux.image_id);
        item.strings("command", aux.command);
        item.strings("args", aux.args);
        item.env("env", aux.env, aux.secret_env);
        item.string("workingDir", aux.working_dir);
        read_mounts(item, aux.mounts);
        item.boolean("mirrorVolumeMounts", aux.mirror_volume_mounts);
        read_resources(item, aux.resources);
        item.boolean("privileged", aux.privileged);
        read_security(item, aux.security);
        out.push_back(std::move(aux));
    });
}

}  // namespace

nlohmann::json step_spec_to_json(const StepSpec& spec) {
    json inputs = json::array();
    for (const InputPlacement& input : spec.inputs) {
        const ArtifactRef& artifact = input.artifact;
        inputs.push_back(json{{"path", input.container_path},
                              {"kind", artifact.is_directory() ? "directory" : "file"},
                              {"digest", artifact.digest},
                              {"size", artifact.size},
                              {"files", artifact.file_count}});
    }
    json init = json::array();
    for (const AuxContainer& aux : spec.init_containers) {
        init.push_back(aux_json(aux));
    }
    json sidecars = json::array();
    for (const AuxContainer& aux : spec.sidecars) {
        sidecars.push_back(aux_json(aux));
    }
    return json{{"containerName", spec.container_name},
                {"displayName", spec.display_name},
                {"image", spec.image},
                {"imageId", spec.image_id},
                {"command", spec.command},
                {"args", spec.args},
                {"env", env_json(spec.env, spec.secret_env)},
                {"workingDir", spec.working_dir},
                {"inputs", inputs},
                {"outputPaths", spec.output_paths},
                {"parameterOnlyPaths", spec.parameter_only_paths},
                {"mounts", mounts_json(spec.mounts)},
                {"labels", spec.labels},
                {"resources", resources_json(spec.resources)},
                {"privileged", spec.privileged},
                {"security", security_json(spec.security)},
                {"initContainers", init},
                {"sidecars", sidecars},
                {"pullPolicy", to_string(spec.pull_policy)}};
}

base::Result<StepSpec> step_spec_from_json(const nlohmann::json& json) {
    StepSpec spec;
    Reader reader(json, "");
    reader.string("containerName", spec.container_name);
    reader.string("displayName", spec.display_name);
    reader.string("image", spec.image);
    reader.string("imageId", spec.image_id);
    reader.strings("command", spec.command);
    reader.strings("args", spec.args);
    reader.env("env", spec.env, spec.secret_env);
    reader.string("workingDir", spec.working_dir);
    reader.each("inputs", [&](Reader& item) {
        InputPlacement input;
        std::string kind = "file";
        item.string("path", input.container_path);
        item.string("kind", kind);
        if (kind == "directory") {
            input.artifact.kind = ArtifactRef::Kind::Directory;
        } else if (kind != "file") {
            item.fail(item.at("kind"), "file or directory");
        }
        item.string("digest", input.artifact.digest);
        std::optional<std::int64_t> size;
        std::optional<std::int64_t> files;
        item.integer("size", size);
        item.integer("files", files);
        input.artifact.size = static_cast<std::uint64_t>(size.value_or(0));
        input.artifact.file_count = static_cast<std::uint64_t>(files.value_or(0));
        spec.inputs.push_back(std::move(input));
    });
    reader.strings("outputPaths", spec.output_paths);
    std::vector<std::string> parameter_only;
    reader.strings("parameterOnlyPaths", parameter_only);
    spec.parameter_only_paths.insert(parameter_only.begin(), parameter_only.end());
    read_mounts(reader, spec.mounts);
    reader.string_map("labels", spec.labels);
    read_resources(reader, spec.resources);
    reader.boolean("privileged", spec.privileged);
    read_security(reader, spec.security);
    read_aux(reader, "initContainers", spec.init_containers);
    read_aux(reader, "sidecars", spec.sidecars);
    std::string policy = "missing";
    reader.string("pullPolicy", policy);
    if (policy == "always") {
        spec.pull_policy = PullPolicy::Always;
    } else if (policy == "never") {
        spec.pull_policy = PullPolicy::Never;
    } else if (policy != "missing") {
        reader.fail("pullPolicy", "always, missing or never");
    }
    if (reader.error()) {
        return *reader.error();
    }
    return spec;
}

}  // namespace kfrun::engine
