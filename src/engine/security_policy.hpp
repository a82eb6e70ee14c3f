#pragma once
// SecurityPolicy: what a pipeline may ask of the host, with the defaults of Kubernetes' Pod
// Security Standard "baseline" — no hostPath volumes, privileged containers, host network or
// host ports, and no capabilities beyond baseline's list — unless the command line opts in
// (--allow-host-path PATH[:rw], --allow-privileged). Also how a container's securityContext
// (its own fields over its pod's) becomes a ContainerSecurity. Pure: hostPaths are checked
// lexically here; the runtime checks them again after resolving symbolic links on the host.
#include <optional>
#include <string>
#include <vector>

#include "engine/container_runtime.hpp"
#include "engine/diagnostic.hpp"
#include "engine/run_options.hpp"
#include "model/workflow.hpp"

namespace kfrun::engine {

// The capabilities baseline lets a container add (Docker gives all of them by default).
const std::vector<std::string>& baseline_capabilities();

// "cap_net_admin" → "NET_ADMIN" (Docker and Kubernetes accept both spellings).
std::string normalize_capability(const std::string& name);

// The grant that covers `host_path` (absolute; `..` and `.` resolved lexically), or nullptr.
// A path covered by several grants takes the most permissive.
const HostPathGrant* find_host_path_grant(const std::string& host_path,
                                          const std::vector<HostPathGrant>& grants);

// Every refusal of the policy in `workflow` under `options`, each at its YAML path.
std::vector<Diagnostic> check_security_policy(const model::Workflow& workflow,
                                              const RunOptions& options);

// The container's securityContext over its template's, over the workflow's.
ContainerSecurity container_security(const model::ContainerSpec& container,
                                     const model::Template& tmpl, const model::Workflow& workflow);

// With the image's Config.User known: fills security.user (Docker's User) and, for
// runAsNonRoot, says why the container may not start (Kubernetes' kubelet messages).
std::optional<std::string> apply_image_user(ContainerSecurity& security,
                                            const std::string& image_user,
                                            const std::string& container_name);

}  // namespace kfrun::engine
