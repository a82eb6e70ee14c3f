#include "engine/importer_source.hpp"

#include "base/visible_text.hpp"
#include "engine/security_policy.hpp"

namespace kfrun::engine {

namespace {

constexpr std::size_t k_max_uri = 4096;

base::Error refuse(const std::string& uri, const std::string& why) {
    return base::make_error(base::ErrorKind::Input,
                            "importer URI `" + base::visible_text(uri.substr(0, 256)) + "` " + why);
}

// The prefix matches at a path boundary: gs://b matches gs://b and gs://b/x, not gs://bb.
bool matches(const std::string& uri, const std::string& prefix) {
    if (prefix.empty() || uri.compare(0, prefix.size(), prefix) != 0) {
        return false;
    }
    return uri.size() == prefix.size() || prefix.back() == '/' || uri[prefix.size()] == '/';
}

// The part below a folder, checked: no `..`, "" for the folder itself.
base::Result<std::string> below(const std::string& uri, std::string rest) {
    std::string clean;
    std::size_t start = 0;
    while (start <= rest.size()) {
        std::size_t end = rest.find('/', start);
        if (end == std::string::npos) {
            end = rest.size();
        }
        std::string part = rest.substr(start, end - start);
        if (part == "..") {
            return refuse(uri,
                          "has a `..` component; kfrun reads nothing outside the folder it "
                          "maps to");
        }
        if (!part.empty() && part != ".") {
            clean += (clean.empty() ? "" : "/") + part;
        }
        start = end + 1;
    }
    return clean;
}

base::Result<ImportSource> local_source(const std::string& uri, const std::string& path,
                                        const std::vector<HostPathGrant>& grants) {
    auto relative = below(uri, path);
    KFRUN_TRY(relative);
    const std::string normal = "/" + relative.value();
    const HostPathGrant* grant = find_host_path_grant(normal, grants);
    if (grant == nullptr) {
        return refuse(uri, "reads " + base::visible_text(normal.substr(0, 256)) +
                               " from this host; allow it with --allow-host-path " +
                               base::visible_text(normal.substr(0, 256)) +
                               " (or a folder above it)");
    }
    std::filesystem::path root = grant->path.lexically_normal();
    std::string inside = std::filesystem::path(normal).lexically_relative(root).generic_string();
    if (inside == ".") {
        inside.clear();
    }
    return ImportSource{root, inside};
}

}  // namespace

base::Result<ImportSource> importer_source(const std::string& uri,
                                           const std::vector<ArtifactMapping>& artifact_map,
                                           const std::vector<HostPathGrant>& grants) {
    if (uri.empty()) {
        return base::make_error(base::ErrorKind::Input, "the importer's URI is empty");
    }
    if (uri.size() > k_max_uri) {
        return refuse(uri, "is longer than 4096 bytes");
    }
    for (unsigned char c : uri) {
        if (c < 0x20 || c == 0x7f) {
            return refuse(uri, "has a control character");
        }
    }
    const ArtifactMapping* best = nullptr;
    for (const ArtifactMapping& mapping : artifact_map) {
        if (matches(uri, mapping.prefix) &&
            (best == nullptr || mapping.prefix.size() > best->prefix.size())) {
            best = &mapping;
        }
    }
    if (best != nullptr) {
        auto relative = below(uri, uri.substr(best->prefix.size()));
        KFRUN_TRY(relative);
        return ImportSource{best->directory, relative.value()};
    }
    if (uri.rfind("file://", 0) == 0) {
        std::string path = uri.substr(7);
        if (path.empty() || path.front() != '/') {
            return refuse(uri, "names a host; a file URI must be file:///ABSOLUTE/PATH");
        }
        return local_source(uri, path, grants);
    }
    if (uri.front() == '/') {
        return local_source(uri, uri, grants);
    }
    std::size_t scheme = uri.find("://");
    if (scheme == std::string::npos || scheme == 0) {
        return refuse(uri, "is neither an absolute path nor a URI (scheme://...)");
    }
    std::size_t slash = uri.find('/', scheme + 3);
    std::string prefix = base::visible_text(uri.substr(0, std::min<std::size_t>(slash, 256)));
    return refuse(uri,
                  "is not on this machine: map its prefix to a local folder with "
                  "--artifact-map " +
                      prefix + "=DIR (kfrun then reads DIR/" +
                      base::visible_text(slash == std::string::npos ? std::string()
                                                                    : uri.substr(slash + 1, 128)) +
                      ")");
}

std::string imported_local_path(const std::string& uri) {
    std::string path;
    if (uri.rfind("file:///", 0) == 0) {
        path = uri.substr(7);
    } else if (!uri.empty() && uri.front() == '/') {
        path = uri;
    } else {
        return "";
    }
    // Only a clean path that can be a mount target in the consumer: a producer's
    // executor_output.json may set any URI ("/", "/proc/…", "/a/..").
    if (path == "/" || path.size() > k_max_uri ||
        std::filesystem::path(path).lexically_normal().string() != path) {
        return "";
    }
    for (const char* system : {"/proc", "/sys", "/dev"}) {
        const std::string top = system;
        if (path == top || path.rfind(top + "/", 0) == 0) {
            return "";
        }
    }
    for (unsigned char c : path) {
        if (c < 0x20 || c == 0x7f) {
            return "";
        }
    }
    return path;
}

}  // namespace kfrun::engine
