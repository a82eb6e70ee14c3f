#pragma once
// Lightweight Python components (KFP v2) pip-install their packages when the step starts. With
// no package index reachable that fails inside the container; these read what pip printed and
// say what to do about it (`--wheelhouse DIR`), and say how a step got its packages.
#include <optional>
#include <string>
#include <vector>

namespace kfrun::engine {

// How a step's Python packages arrive.
enum class PackageSource {
    Image,      // no pip install in its command: the image has what it needs
    Index,      // pip installs from a package index (PyPI or --index-url)
    Wheelhouse  // pip installs offline from kfrun's --wheelhouse folder
};

const char* to_string(PackageSource source);

// Whether the step's argv pip-installs packages (the KFP lightweight-component preamble or any
// `pip install`), and from where, given whether a wheelhouse is mounted.
PackageSource package_source(const std::vector<std::string>& argv, bool wheelhouse);

// The requirements (`kfp==2.14.0`, `pandas`) the argv pip-installs, in order.
std::vector<std::string> pip_requirements(const std::vector<std::string>& argv);

// When the log shows pip failing to install a requirement: a message naming it, its version
// and --wheelhouse; when pip itself is missing, a message saying so. Otherwise nothing.
std::optional<std::string> pip_failure_hint(const std::string& log_tail, bool wheelhouse);

}  // namespace kfrun::engine
