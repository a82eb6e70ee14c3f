// Every real component spec in fixtures/conformance/components loads, and builds into a workflow
// the engine's validator accepts — or is refused with a clear reason.
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "component/component_loader.hpp"
#include "component/component_workflow.hpp"
#include "engine/validator.hpp"

namespace kfrun::component {
namespace {

// Specs kfrun refuses to run, and a phrase the reason must contain.
const std::map<std::string, std::string> k_refused = {
    {"fancy_trainer_component.yaml", "needs KFP's v2-compatible launcher"},
    {"azure__azuredevops__queue-pipeline__component.yaml", "`image` is empty"},
};

std::vector<std::filesystem::path> conformance_specs() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::string(KFRUN_SOURCE_DIR) + "/fixtures/conformance/components")) {
        if (entry.path().extension() == ".yaml") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Every required input gets a value (an inputPath one then becomes raw data).
ComponentArguments required_arguments(const ComponentSpec& spec) {
    ComponentArguments arguments;
    for (const InputSpec& input : spec.inputs) {
        if (!input.optional && !input.default_value) {
            arguments.values[input.name] = "1";
        }
    }
    return arguments;
}

TEST(ConformanceComponents, AllThirtyFiveSpecsArePresent) {
    EXPECT_EQ(conformance_specs().size(), 35u);
}

TEST(ConformanceComponents, EverySpecLoadsAndBuildsOrIsRefusedWithAReason) {
    int built = 0;
    for (const std::filesystem::path& file : conformance_specs()) {
        SCOPED_TRACE(file.filename().string());
        auto spec = load_component_file(file);
        ASSERT_TRUE(spec.ok()) << spec.error().to_string();
        auto run = build_component_workflow(*spec, required_arguments(*spec));
        auto refused = k_refused.find(file.filename().string());
        if (refused != k_refused.end()) {
            ASSERT_FALSE(run.ok()) << "expected a refusal";
            EXPECT_EQ(run.error().kind, base::ErrorKind::Input);
            EXPECT_NE(run.error().message.find(refused->second), std::string::npos)
                << run.error().to_string();
            EXPECT_NE(run.error().where.find(file.filename().string() + ":"), std::string::npos)
                << run.error().to_string();
            continue;
        }
        ASSERT_TRUE(run.ok()) << run.error().to_string();
        ++built;
        for (const engine::Diagnostic& diagnostic : engine::validate_workflow(run->workflow)) {
            EXPECT_NE(diagnostic.severity, engine::Diagnostic::Severity::Error)
                << diagnostic.where << ": " << diagnostic.message;
        }
        // Every declared output that the command line uses is known to the caller.
        const model::Template& tmpl = run->workflow.templates.front();
        EXPECT_EQ(run->outputs.size(), tmpl.outputs.artifacts.size());
    }
    EXPECT_EQ(built, 33);
}

TEST(ConformanceComponents, AMissingRequiredInputIsNamedForEverySpecThatHasOne) {
    for (const std::filesystem::path& file : conformance_specs()) {
        auto spec = load_component_file(file);
        ASSERT_TRUE(spec.ok());
        for (const InputSpec& input : spec->inputs) {
            if (input.optional || input.default_value) {
                continue;
            }
            ComponentArguments arguments = required_arguments(*spec);
            arguments.values.erase(input.name);
            auto run = build_component_workflow(*spec, arguments);
            ASSERT_FALSE(run.ok()) << file.filename() << " ran without " << input.name;
            EXPECT_NE(run.error().message.find("`" + input.name + "`"), std::string::npos)
                << run.error().to_string();
            break;
        }
    }
}

}  // namespace
}  // namespace kfrun::component
