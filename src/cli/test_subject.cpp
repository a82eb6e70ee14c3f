#include "cli/test_subject.hpp"

#include "cli/pipeline_input.hpp"
#include "component/component_loader.hpp"
#include "component/component_workflow.hpp"
#include "engine/entry_artifacts.hpp"
#include "harness/task_workflow.hpp"

namespace kfrun::cli {

namespace {

// Places an error from building a case in the test file: at the input it names (the component
// front end says "--input NAME", as run-component's flags), else at the case.
base::Error in_case(const harness::TestCase& test_case, base::Error error) {
    std::string where = error.where;
    error.where = test_case.where;
    for (const char* flag : {"--input ", "--input-file "}) {
        std::string prefix(flag);
        if (where.rfind(prefix, 0) == 0) {
            auto input = test_case.inputs.find(where.substr(prefix.size()));
            if (input != test_case.inputs.end() && !input->second.where.empty()) {
                error.where = input->second.where;
            }
            return error;
        }
    }
    if (!where.empty() && where != "task") {
        error.message += " (" + where + ")";
    }
    return error;
}

}  // namespace

base::Result<TestSubject> load_test_subject(const harness::TestSuite& suite) {
    TestSubject subject;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(suite.subject_file, ec)) {
        return base::make_error(base::ErrorKind::Input,
                                "no such file: " + suite.subject_file.string(),
                                suite.subject_where);
    }
    if (suite.subject == harness::TestSuite::Subject::Component) {
        auto spec = component::load_component_file(suite.subject_file);
        KFRUN_TRY(spec);
        subject.component = std::move(spec.value());
        return subject;
    }
    auto loaded = load_pipeline(suite.subject_file);
    KFRUN_TRY(loaded);
    for (const engine::Diagnostic& diagnostic : loaded->diagnostics) {
        if (diagnostic.severity == engine::Diagnostic::Severity::Error) {
            return base::make_error(base::ErrorKind::Input, diagnostic.message, diagnostic.where);
        }
    }
    subject.pipeline = std::move(loaded->workflow);
    return subject;
}

base::Result<CaseWorkflow> build_case_workflow(const TestSubject& subject,
                                               const harness::TestSuite& suite,
                                               const harness::TestCase& test_case) {
    CaseWorkflow out;
    if (subject.component) {
        component::ComponentArguments arguments;
        for (const auto& [name, input] : test_case.inputs) {
            if (input.value) {
                arguments.values[name] = *input.value;
            } else {
                arguments.files[name] = input.file;
            }
        }
        auto built = component::build_component_workflow(*subject.component, arguments);
        if (!built.ok()) {
            return in_case(test_case, built.error());
        }
        out.workflow = std::move(built->workflow);
        for (const component::ComponentInputFile& file : built->files) {
            out.files.emplace_back(file.artifact, file.file);
        }
        for (const component::ComponentOutput& output : built->outputs) {
            out.output_names[output.output] = output.artifact;
        }
        return out;
    }
    if (!suite.task.empty()) {
        harness::TaskInputs inputs;
        for (const auto& [name, input] : test_case.inputs) {
            if (input.value) {
                inputs.values[name] = *input.value;
            } else {
                inputs.files[name] = input.file;
            }
        }
        auto task = harness::make_task_workflow(*subject.pipeline, suite.task, inputs);
        if (!task.ok()) {
            return in_case(test_case, task.error());
        }
        out.workflow = std::move(task->workflow);
        out.files = std::move(task->files);
        return out;
    }
    out.workflow = *subject.pipeline;
    for (const auto& [name, value] : test_case.parameters) {
        out.parameters.emplace_back(name, value);
    }
    // A whole pipeline's `inputs` are its input artifacts ({file: PATH}).
    std::vector<std::string> given;
    for (const auto& [name, input] : test_case.inputs) {
        out.files.emplace_back(name, input.file);
        given.push_back(name);
    }
    auto checked = engine::check_entry_artifacts(out.workflow, given, [](const std::string& name) {
        return "`inputs: {" + name + ": {file: PATH}}` in the case";
    });
    if (!checked.ok()) {
        return in_case(test_case, checked.error());
    }
    return out;
}

}  // namespace kfrun::cli
