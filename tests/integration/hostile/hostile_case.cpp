#include "hostile_case.hpp"

#include <algorithm>
#include <fstream>
#include <set>

namespace kfrun::testing {

namespace {

std::string trim(const std::string& text) {
    std::size_t begin = text.find_first_not_of(" \t\r");
    if (begin == std::string::npos) {
        return "";
    }
    std::size_t end = text.find_last_not_of(" \t\r");
    return text.substr(begin, end - begin + 1);
}

std::vector<std::string> split_spaces(const std::string& text) {
    std::vector<std::string> words;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t begin = text.find_first_not_of(' ', at);
        if (begin == std::string::npos) {
            break;
        }
        std::size_t end = text.find(' ', begin);
        words.push_back(text.substr(begin, end - begin));
        at = end;
    }
    return words;
}

}  // namespace

std::optional<HostileCase> read_hostile_case(const std::filesystem::path& root,
                                             const std::filesystem::path& file,
                                             std::string& problem) {
    static const std::set<std::string> k_commands = {"validate", "run", "dry-run",
                                                     "run-component", "test"};
    std::ifstream in(file, std::ios::binary);
    HostileCase c;
    c.file = file;
    c.subject = file;
    c.id = std::filesystem::relative(file, root).generic_string();
    bool is_case = false;
    bool has_exit = false;
    std::string line;
    while (std::getline(in, line) && !line.empty() && line[0] == '#') {
        std::string body = trim(line.substr(1));
        std::size_t colon = body.find(':');
        if (colon == std::string::npos) {
            continue;  // a plain comment
        }
        std::string key = body.substr(0, colon);
        std::string value = trim(body.substr(colon + 1));
        if (key == "hostile") {
            is_case = true;
            c.hostile = value;
        } else if (key == "finding") {
            c.finding = value;
        } else if (key == "command") {
            c.command = value;
        } else if (key == "args") {
            for (std::string& arg : split_spaces(value)) {
                std::size_t at = arg.find("{dir}");
                if (at != std::string::npos) {
                    arg.replace(at, 5, file.parent_path().string());
                }
                c.args.push_back(arg);
            }
        } else if (key == "exit") {
            has_exit = !value.empty() &&
                       std::all_of(value.begin(), value.end(), [](char ch) { return std::isdigit(
                                                                    static_cast<unsigned char>(ch)) != 0; });
            c.exit = has_exit ? std::stoi(value) : -1;
        } else if (key == "expect") {
            c.expect.push_back(value);
        } else if (key == "file") {
            c.subject = file.parent_path() / value;
        }
    }
    if (!is_case) {
        return std::nullopt;
    }
    if (!has_exit) {
        problem = c.id + ": the header needs `# exit: N`";
    } else if (c.expect.empty() || std::any_of(c.expect.begin(), c.expect.end(),
                                               [](const std::string& e) { return e.empty(); })) {
        problem = c.id + ": the header needs a non-empty `# expect: TEXT`";
    } else if (k_commands.count(c.command) == 0) {
        problem = c.id + ": unknown command `" + c.command + "`";
    } else if (!std::filesystem::is_regular_file(c.subject)) {
        problem = c.id + ": `file:` names no file beside the case";
    }
    return c;
}

std::vector<HostileCase> find_hostile_cases(const std::filesystem::path& root,
                                            std::vector<std::string>& problems) {
    std::vector<HostileCase> cases;
    std::vector<std::filesystem::path> others;
    std::error_code ec;
    if (!std::filesystem::is_directory(root, ec)) {
        return cases;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) {
            continue;
        }
        std::string problem;
        auto read = read_hostile_case(root, entry.path(), problem);
        if (!problem.empty()) {
            problems.push_back(problem);
        } else if (read) {
            cases.push_back(std::move(*read));
        } else {
            others.push_back(entry.path());
        }
    }
    for (const auto& other : others) {
        bool named = std::any_of(cases.begin(), cases.end(), [&](const HostileCase& c) {
            return std::filesystem::equivalent(c.subject, other, ec);
        });
        bool readme = other.filename() == "README.md";
        if (!named && !readme) {
            problems.push_back(std::filesystem::relative(other, root).generic_string() +
                               ": no `# hostile:` header, and no case names it with `file:`");
        }
    }
    std::sort(cases.begin(), cases.end(),
              [](const HostileCase& a, const HostileCase& b) { return a.id < b.id; });
    return cases;
}

std::string hostile_test_name(const std::string& id) {
    std::string name;
    for (char ch : id) {
        name += std::isalnum(static_cast<unsigned char>(ch)) != 0 ? ch : '_';
    }
    return name;
}

}  // namespace kfrun::testing
