#include "cli/pipeline_input_files.hpp"

#include "cli/pipeline_input.hpp"
#include "engine/entry_artifacts.hpp"

namespace kfrun::cli {

base::Result<std::vector<std::pair<std::string, std::filesystem::path>>> pipeline_input_files(
    const model::Workflow& workflow, const std::vector<std::string>& assignments) {
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    std::vector<std::string> names;
    for (const std::string& text : assignments) {
        auto assignment = parse_assignment(text, "--input-file");
        KFRUN_TRY(assignment);
        const auto& [name, path] = *assignment;
        for (const std::string& seen : names) {
            if (seen == name) {
                return base::make_error(base::ErrorKind::Input,
                                        "input artifact `" + name + "` is given twice",
                                        "--input-file " + name);
            }
        }
        std::error_code ec;
        if (path.empty() || !std::filesystem::exists(path, ec)) {
            return base::make_error(
                base::ErrorKind::Input,
                "no such file or directory for input artifact `" + name + "`: " + path,
                "--input-file " + name);
        }
        names.push_back(name);
        files.emplace_back(name, std::filesystem::absolute(path, ec));
    }
    auto checked = engine::check_entry_artifacts(
        workflow, names, [](const std::string& name) { return "--input-file " + name + "=PATH"; });
    KFRUN_TRY(checked);
    return files;
}

}  // namespace kfrun::cli
