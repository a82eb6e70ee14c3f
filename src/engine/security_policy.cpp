#include "engine/security_policy.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace kfrun::engine {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

bool is_under(const std::filesystem::path& path, const std::filesystem::path& root) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (r->empty()) {
            continue;  // the trailing "" of "/data/"
        }
        if (p == path.end() || *p != *r) {
            return false;
        }
    }
    return true;
}

class PolicyCheck {
  public:
    PolicyCheck(const model::Workflow& workflow, const RunOptions& options)
        : m_workflow(workflow), m_options(options) {}

    std::vector<Diagnostic> run() {
        if (m_workflow.host_network && !m_options.allow_privileged) {
            error("spec.hostNetwork",
                  "`hostNetwork: true` shares the host's network namespace; refused unless the "
                  "command line passes --allow-privileged (then pass --network host to use it)");
        }
        for (const model::Volume& volume : m_workflow.volumes) {
            check_volume(volume);
        }
        for (const model::Template& tmpl : m_workflow.templates) {
            if (tmpl.kind == model::Template::Kind::Container ||
                tmpl.kind == model::Template::Kind::Script) {
                check_container(tmpl.container, "main");
            }
            for (const auto& init : tmpl.init_containers) {
                check_container(init, "init container");
            }
            for (const auto& sidecar : tmpl.sidecars) {
                check_container(sidecar, "sidecar");
            }
            for (const model::Volume& volume : tmpl.volumes) {
                check_volume(volume);
            }
        }
        return std::move(m_diagnostics);
    }

  private:
    void error(const std::string& path, std::string message) {
        std::string where = m_workflow.sources.describe(path);
        if (m_seen.insert(where + message).second) {
            m_diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::Error, std::move(where), std::move(message)});
        }
    }

    void check_container(const model::ContainerSpec& container, const std::string& role) {
        if (container.privileged && !m_options.allow_privileged) {
            error(container.yaml_path + ".securityContext.privileged",
                  "this container asks to run privileged; refused unless the command line "
                  "passes --allow-privileged");
        }
        if (!m_options.allow_privileged) {
            const auto& allowed = baseline_capabilities();
            for (std::size_t i = 0; i < container.security.capabilities_add.size(); ++i) {
                std::string cap = normalize_capability(container.security.capabilities_add[i]);
                if (std::find(allowed.begin(), allowed.end(), cap) == allowed.end()) {
                    error(container.yaml_path + ".securityContext.capabilities.add[" +
                              std::to_string(i) + "]",
                          "capability " + cap + " is beyond Kubernetes' baseline set (" +
                              join(allowed) +
                              "); refused unless the command line passes --allow-privileged");
                }
            }
            for (const std::string& path : container.host_port_paths) {
                error(path,
                      "a hostPort binds a port of the host; refused unless the command "
                      "line passes --allow-privileged (kfrun publishes no ports even then)");
            }
        }
    }

    void check_volume(const model::Volume& volume) {
        if (volume.kind != model::Volume::Kind::HostPath) {
            return;
        }
        const std::string path = volume.yaml_path + ".hostPath.path";
        const std::string& host = volume.host_path;
        if (host.empty() || host.front() != '/') {
            error(path, "hostPath volume \"" + volume.name +
                            "\" needs an absolute host path, got \"" + host.substr(0, 256) + "\"");
            return;
        }
        if (find_host_path_grant(host, m_options.allowed_host_paths) == nullptr) {
            std::string normal = std::filesystem::path(host).lexically_normal().string();
            error(path, "hostPath volume \"" + volume.name + "\" mounts " + normal.substr(0, 256) +
                            " from the host; refused unless the command line allows it with "
                            "--allow-host-path " +
                            normal.substr(0, 256) + " (read-only) or --allow-host-path " +
                            normal.substr(0, 256) + ":rw");
        }
    }

    const model::Workflow& m_workflow;
    const RunOptions& m_options;
    std::vector<Diagnostic> m_diagnostics;
    std::set<std::string> m_seen;
};

}  // namespace

const std::vector<std::string>& baseline_capabilities() {
    static const std::vector<std::string> k_baseline = {
        "AUDIT_WRITE",      "CHOWN",   "DAC_OVERRIDE", "FOWNER",  "FSETID", "KILL",      "MKNOD",
        "NET_BIND_SERVICE", "SETFCAP", "SETGID",       "SETPCAP", "SETUID", "SYS_CHROOT"};
    return k_baseline;
}

std::string normalize_capability(const std::string& name) {
    std::string out = name;
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (out.rfind("CAP_", 0) == 0) {
        out = out.substr(4);
    }
    return out;
}

const HostPathGrant* find_host_path_grant(const std::string& host_path,
                                          const std::vector<HostPathGrant>& grants) {
    std::filesystem::path path(host_path);
    if (!path.is_absolute()) {
        return nullptr;
    }
    path = path.lexically_normal();
    const HostPathGrant* found = nullptr;
    for (const HostPathGrant& grant : grants) {
        if (is_under(path, grant.path.lexically_normal()) &&
            (found == nullptr || (!found->writable && grant.writable))) {
            found = &grant;
        }
    }
    return found;
}

std::vector<Diagnostic> check_security_policy(const model::Workflow& workflow,
                                              const RunOptions& options) {
    return PolicyCheck(workflow, options).run();
}

ContainerSecurity container_security(const model::ContainerSpec& container,
                                     const model::Template& tmpl, const model::Workflow& workflow) {
    const model::SecurityContext& own = container.security;
    auto pick = [&](auto field) {
        if ((own.*field).has_value()) {
            return own.*field;
        }
        if ((tmpl.pod_security.*field).has_value()) {
            return tmpl.pod_security.*field;
        }
        return workflow.pod_security.*field;
    };
    ContainerSecurity security;
    security.run_as_user = pick(&model::SecurityContext::run_as_user);
    security.run_as_group = pick(&model::SecurityContext::run_as_group);
    security.run_as_non_root = pick(&model::SecurityContext::run_as_non_root).value_or(false);
    security.read_only_root = own.read_only_root_filesystem.value_or(false);
    security.no_new_privileges = !own.allow_privilege_escalation.value_or(true);
    for (const std::string& cap : own.capabilities_add) {
        security.cap_add.push_back(normalize_capability(cap));
    }
    for (const std::string& cap : own.capabilities_drop) {
        security.cap_drop.push_back(normalize_capability(cap));
    }
    if (security.run_as_user) {
        security.user = std::to_string(*security.run_as_user);
        if (security.run_as_group) {
            security.user += ":" + std::to_string(*security.run_as_group);
        }
    }
    return security;
}

std::optional<std::string> apply_image_user(ContainerSecurity& security,
                                            const std::string& image_user,
                                            const std::string& container_name) {
    std::string image_uid = image_user.substr(0, image_user.find(':'));
    if (!security.run_as_user && security.run_as_group) {
        security.user =
            (image_uid.empty() ? "0" : image_uid) + ":" + std::to_string(*security.run_as_group);
    }
    if (!security.run_as_non_root) {
        return std::nullopt;
    }
    const std::string which = "(container: " + container_name + ")";
    if (security.run_as_user) {
        if (*security.run_as_user == 0) {
            return "container's runAsUser breaks non-root policy " + which;
        }
        return std::nullopt;
    }
    if (image_uid.empty()) {
        return "container has runAsNonRoot and image will run as root " + which;
    }
    bool numeric = std::all_of(image_uid.begin(), image_uid.end(),
                               [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric) {
        return "container has runAsNonRoot and image has non-numeric user (" + image_uid +
               "), cannot verify user is non-root " + which;
    }
    if (image_uid.find_first_not_of('0') == std::string::npos) {
        return "container has runAsNonRoot and image will run as root " + which;
    }
    return std::nullopt;
}

}  // namespace kfrun::engine
