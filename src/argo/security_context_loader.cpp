// TemplateLoader, part three: securityContext (a container's, or a pod's: a template's or the
// workflow's) and the host ports of a container.
#include <set>

#include "argo/template_loader.hpp"

namespace kfrun::argo {

using base::Result;

namespace {

constexpr std::int64_t k_max_id = 2147483647;  // Kubernetes: 0 ≤ runAsUser/runAsGroup ≤ 2^31-1

// Only a plain decimal integer: no sign, no spaces, no placeholder (Kubernetes' field is int64).
std::optional<std::int64_t> parse_id(const std::string& text) {
    if (text.empty() || text.size() > 10) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + (c - '0');
    }
    if (value > k_max_id) {
        return std::nullopt;
    }
    return value;
}

// A Linux capability as Docker and Kubernetes write it: letters, digits and `_` (NET_ADMIN,
// CAP_NET_ADMIN, ALL).
bool capability_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return false;
    }
    for (char c : name) {
        bool ok =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

const std::set<std::string> k_pod_ignored = {"fsGroup",
                                             "fsGroupChangePolicy",
                                             "supplementalGroups",
                                             "supplementalGroupsPolicy",
                                             "seLinuxOptions",
                                             "seccompProfile",
                                             "sysctls",
                                             "windowsOptions",
                                             "appArmorProfile",
                                             "seLinuxChangePolicy"};
const std::set<std::string> k_container_ignored = {
    "seLinuxOptions", "seccompProfile", "windowsOptions", "procMount", "appArmorProfile"};

}  // namespace

Result<model::SecurityContext> TemplateLoader::load_security_context(const YAML::Node& node,
                                                                     const std::string& path,
                                                                     bool container) {
    model::SecurityContext security;
    if (!node || node.IsNull()) {
        return security;
    }
    m_reader.mark(node, path);
    if (!node.IsMap()) {
        return m_reader.error(path, "`securityContext` must be a mapping");
    }
    security.yaml_path = path;
    for (const char* key : {"runAsUser", "runAsGroup"}) {
        auto text = m_reader.scalar(node, key, path);
        if (!text) {
            continue;
        }
        auto id = parse_id(*text);
        if (!id) {
            return m_reader.error(path + "." + key, "`" + std::string(key) +
                                                        "` must be an integer from 0 to " +
                                                        std::to_string(k_max_id) + ", got \"" +
                                                        text->substr(0, 64) + "\"");
        }
        (std::string(key) == "runAsUser" ? security.run_as_user : security.run_as_group) = *id;
    }
    auto flag = [&](const char* key, std::optional<bool>& out) -> Result<void> {
        auto text = m_reader.scalar(node, key, path);
        if (!text) {
            return base::ok();
        }
        if (*text == "true" || *text == "True" || *text == "TRUE") {
            out = true;
        } else if (*text == "false" || *text == "False" || *text == "FALSE") {
            out = false;
        } else {
            return m_reader.error(path + "." + key, "`" + std::string(key) +
                                                        "` must be true or false, got \"" +
                                                        text->substr(0, 64) + "\"");
        }
        return base::ok();
    };
    KFRUN_TRY(flag("runAsNonRoot", security.run_as_non_root));
    std::set<std::string> known = {"runAsUser", "runAsGroup", "runAsNonRoot"};
    if (container) {
        KFRUN_TRY(flag("readOnlyRootFilesystem", security.read_only_root_filesystem));
        KFRUN_TRY(flag("allowPrivilegeEscalation", security.allow_privilege_escalation));
        known.insert(
            {"readOnlyRootFilesystem", "allowPrivilegeEscalation", "privileged", "capabilities"});
        if (YAML::Node capabilities = node["capabilities"]) {
            std::string p = path + ".capabilities";
            m_reader.mark(capabilities, p);
            if (!capabilities.IsMap()) {
                return m_reader.error(p, "`capabilities` must be a mapping with `add` and `drop`");
            }
            for (const char* key : {"add", "drop"}) {
                YAML::Node list = capabilities[key];
                if (list && !list.IsSequence()) {
                    return m_reader.error(
                        p + "." + key, "`" + std::string(key) + "` must be a list of capabilities");
                }
                std::vector<std::string> names = m_reader.strings(capabilities, key, p);
                for (std::size_t i = 0; i < names.size(); ++i) {
                    if (!capability_name(names[i])) {
                        return m_reader.error(
                            p + "." + key + "[" + std::to_string(i) + "]",
                            "not a capability name: \"" + names[i].substr(0, 64) + "\"");
                    }
                }
                (std::string(key) == "add" ? security.capabilities_add
                                           : security.capabilities_drop) = std::move(names);
            }
            m_reader.check_keys(capabilities, p, {"add", "drop"}, {});
        }
    }
    m_reader.check_keys(node, path, known, container ? k_container_ignored : k_pod_ignored);
    return security;
}

std::vector<std::string> TemplateLoader::host_ports(const YAML::Node& node,
                                                    const std::string& path) {
    std::vector<std::string> out;
    YAML::Node ports = node["ports"];
    if (!ports || !ports.IsSequence()) {
        return out;
    }
    for (std::size_t i = 0; i < ports.size(); ++i) {
        std::string p = path + ".ports[" + std::to_string(i) + "]";
        if (!ports[i].IsMap()) {
            continue;
        }
        auto host_port = m_reader.scalar(ports[i], "hostPort", p);
        if (host_port && *host_port != "0") {
            m_reader.mark(ports[i]["hostPort"], p + ".hostPort");
            out.push_back(p + ".hostPort");
        }
    }
    return out;
}

}  // namespace kfrun::argo
