#include "engine/pip_install_hint.hpp"

#include "base/strings.hpp"
#include "base/visible_text.hpp"

namespace kfrun::engine {

const char* to_string(PackageSource source) {
    switch (source) {
        case PackageSource::Image:
            return "image";
        case PackageSource::Index:
            return "index";
        case PackageSource::Wheelhouse:
            return "wheelhouse";
    }
    return "image";
}

namespace {

bool installs_with_pip(const std::string& text) {
    return text.find("pip install") != std::string::npos;
}

// The words of a shell line, with '…' and "…" quotes removed (no expansion: enough to read
// the requirements KFP's compiler writes).
std::vector<std::string> shell_words(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (char c : line) {
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else {
                word += c;
            }
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|') {
            if (in_word) {
                words.push_back(word);
                word.clear();
                in_word = false;
            }
            if (c != ' ' && c != '\t') {
                words.push_back(std::string(1, c));
            }
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) {
        words.push_back(word);
    }
    return words;
}

}  // namespace

PackageSource package_source(const std::vector<std::string>& argv, bool wheelhouse) {
    for (const std::string& arg : argv) {
        if (installs_with_pip(arg)) {
            return wheelhouse ? PackageSource::Wheelhouse : PackageSource::Index;
        }
    }
    return PackageSource::Image;
}

std::vector<std::string> pip_requirements(const std::vector<std::string>& argv) {
    std::vector<std::string> requirements;
    for (const std::string& arg : argv) {
        if (!installs_with_pip(arg)) {
            continue;
        }
        std::vector<std::string> words = shell_words(arg);
        for (std::size_t i = 0; i + 1 < words.size(); ++i) {
            if (words[i] != "pip" || words[i + 1] != "install") {
                continue;
            }
            for (std::size_t j = i + 2; j < words.size(); ++j) {
                const std::string& word = words[j];
                if (word == "&" || word == "|" || word == ";" || word == "\n") {
                    break;
                }
                if (word.empty() || word[0] == '-' || word[0] == '$') {
                    // options; --index-url/--extra-index-url/--trusted-host take a value
                    if (word == "--index-url" || word == "--extra-index-url" ||
                        word == "--trusted-host" || word == "-i" || word == "--find-links") {
                        ++j;
                    }
                    continue;
                }
                requirements.push_back(word);
            }
        }
    }
    return requirements;
}

namespace {

// The requirement pip names after `marker` on one of the log's lines.
std::optional<std::string> requirement_after(const std::string& log, const std::string& marker) {
    std::size_t at = log.rfind(marker);
    if (at == std::string::npos) {
        return std::nullopt;
    }
    std::size_t start = at + marker.size();
    std::size_t end = log.find_first_of(" \n\r", start);
    std::string requirement = log.substr(start, end == std::string::npos ? std::string::npos
                                                                         : end - start);
    if (requirement.size() > 200) {
        requirement = requirement.substr(0, 200);
    }
    return base::visible_text(requirement);
}

}  // namespace

std::optional<std::string> pip_failure_hint(const std::string& log_tail, bool wheelhouse) {
    auto requirement = requirement_after(log_tail, "No matching distribution found for ");
    if (!requirement) {
        requirement = requirement_after(log_tail, "satisfies the requirement ");
    }
    if (requirement) {
        std::string name = *requirement;
        std::string version;
        if (std::size_t eq = name.find("=="); eq != std::string::npos) {
            version = name.substr(eq + 2);
            name = name.substr(0, eq);
        }
        std::string what = "`" + name + "`" + (version.empty() ? "" : " version " + version);
        if (wheelhouse) {
            return "pip could not install " + what +
                   " from the --wheelhouse folder: put its wheel there (with `pip download " +
                   *requirement + " -d DIR` on a machine with a package index)";
        }
        return "pip could not install " + what +
               ": no package index is reachable from the step. Put the wheels in a folder (`pip "
               "download " + *requirement + " -d DIR` where an index is reachable) and pass "
               "--wheelhouse DIR";
    }
    if (log_tail.find("No module named pip") != std::string::npos ||
        log_tail.find("No module named ensurepip") != std::string::npos) {
        return std::string(
            "the image has no pip, which this lightweight component needs to install its "
            "packages: use an image with pip (python:3.x has it)");
    }
    return std::nullopt;
}

}  // namespace kfrun::engine
