#include "harness/test_file_loader.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "base/limits.hpp"
#include "harness/discovery.hpp"
#include "harness/expectation_loader.hpp"
#include "harness/yaml_places.hpp"
#include "model/yaml_documents.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::harness {

using base::Result;

namespace {

const std::vector<std::string> k_suite_keys = {"suite",          "component",  "pipeline",
                                               "task",           "image-map",  "image-map-file",
                                               "inputs",         "parameters", "timeout",
                                               "cases"};
const std::vector<std::string> k_case_keys = {"name",      "inputs",  "parameters",
                                              "image-map", "timeout", "expect"};

Result<std::map<std::string, InputArgument>> load_inputs(const YamlPlaces& places,
                                                         const YAML::Node& node) {
    std::map<std::string, InputArgument> inputs;
    if (!node.IsMap()) {
        return places.error(node, "`inputs` must be a mapping NAME: VALUE (or NAME: {file: PATH})");
    }
    for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        const YAML::Node& value = entry.second;
        InputArgument input;
        input.where = places.where(value.IsNull() ? entry.first : value);
        bool special = value.IsMap() && value.size() == 1 && (value["file"] || value["value"]);
        if (special && value["file"]) {
            auto path = places.scalar(value["file"], "`file`");
            KFRUN_TRY(path);
            auto file = places.resolve_in_project(value["file"], *path, "input `" + name + "`");
            KFRUN_TRY(file);
            input.file = std::move(*file);
        } else if (special) {
            input.value = YamlPlaces::value_text(value["value"]);
        } else if (value.IsNull()) {
            return places.error(entry.first, "input `" + name + "` has no value; give a value, "
                                             "{file: PATH} or leave the input out");
        } else {
            input.value = YamlPlaces::value_text(value);  // a structure: compact JSON
        }
        inputs[name] = std::move(input);
    }
    return inputs;
}

// A whole pipeline's `inputs` are its input artifacts, each {file: PATH}; its parameters are
// `parameters`.
Result<void> only_files(const YamlPlaces& places, const YAML::Node& node,
                        const std::map<std::string, InputArgument>& inputs) {
    for (const auto& [name, input] : inputs) {
        if (input.value) {
            return places.error(node[name],
                                "a pipeline's `inputs` are its input artifacts, each {file: "
                                "PATH}; give the value of `" +
                                    name + "` under `parameters`");
        }
    }
    return base::ok();
}

Result<std::map<std::string, std::string>> load_parameters(const YamlPlaces& places,
                                                           const YAML::Node& node) {
    std::map<std::string, std::string> parameters;
    if (!node.IsMap()) {
        return places.error(node, "`parameters` must be a mapping NAME: VALUE");
    }
    for (const auto& entry : node) {
        parameters[entry.first.Scalar()] = YamlPlaces::value_text(entry.second);
    }
    return parameters;
}

Result<void> load_subject(const YamlPlaces& places, const YAML::Node& root, TestSuite& suite) {
    YAML::Node component = root["component"];
    YAML::Node pipeline = root["pipeline"];
    if (component && pipeline) {
        return places.error(pipeline, "a suite tests either a `component` or a `pipeline`, not "
                                      "both");
    }
    if (!component && !pipeline) {
        return places.error(root, "the suite names no subject: add `component: component.yaml` "
                                  "or `pipeline: pipeline.yaml`");
    }
    const YAML::Node& subject = component ? component : pipeline;
    auto path = places.scalar(subject, component ? "`component`" : "`pipeline`");
    KFRUN_TRY(path);
    suite.subject = component ? TestSuite::Subject::Component : TestSuite::Subject::Pipeline;
    suite.subject_file = places.resolve(*path);
    suite.subject_where = places.where(subject);
    if (YAML::Node task = root["task"]) {
        if (component) {
            return places.error(task, "`task` selects one task of a `pipeline`; a component "
                                      "has only one");
        }
        auto name = places.scalar(task, "`task`");
        KFRUN_TRY(name);
        suite.task = *name;
    }
    return base::ok();
}

Result<void> load_image_maps(const YamlPlaces& places, const YAML::Node& root, TestSuite& suite) {
    if (YAML::Node map = root["image-map"]) {
        auto rules = places.string_pairs(map, "`image-map`");
        KFRUN_TRY(rules);
        suite.image_map = std::move(rules.value());
    }
    if (YAML::Node files = root["image-map-file"]) {
        auto names = places.strings(files, "`image-map-file`");
        KFRUN_TRY(names);
        for (const std::string& name : *names) {
            auto file = places.resolve_in_project(files, name, "`image-map-file`");
            KFRUN_TRY(file);
            suite.image_map_files.push_back(std::move(*file));
        }
    }
    return base::ok();
}

Result<TestCase> load_case(const YamlPlaces& places, const YAML::Node& node,
                           const TestSuite& suite,
                           const std::map<std::string, InputArgument>& default_inputs,
                           const std::map<std::string, std::string>& default_parameters,
                           const std::string& default_timeout) {
    TestCase test_case;
    test_case.where = places.where(node);
    KFRUN_TRY(places.check_keys(node, k_case_keys, "a case"));
    if (!node["name"]) {
        return places.error(node, "a case needs a `name`");
    }
    auto name = places.scalar(node["name"], "`name`");
    KFRUN_TRY(name);
    if (name->empty() || name->find('/') != std::string::npos) {
        return places.error(node["name"], "a case name must be non-empty and without '/'");
    }
    test_case.name = *name;
    test_case.inputs = default_inputs;
    test_case.parameters = default_parameters;
    test_case.timeout = default_timeout;
    bool whole_pipeline = !suite.single_step();
    if (YAML::Node inputs = node["inputs"]) {
        auto loaded = load_inputs(places, inputs);
        KFRUN_TRY(loaded);
        if (whole_pipeline) {
            KFRUN_TRY(only_files(places, inputs, *loaded));
        }
        for (auto& [input, value] : loaded.value()) {
            test_case.inputs[input] = std::move(value);
        }
    }
    if (YAML::Node parameters = node["parameters"]) {
        if (!whole_pipeline) {
            return places.error(parameters, "a component or task case takes `inputs`, not "
                                            "`parameters`");
        }
        auto loaded = load_parameters(places, parameters);
        KFRUN_TRY(loaded);
        for (auto& [parameter, value] : loaded.value()) {
            test_case.parameters[parameter] = std::move(value);
        }
    }
    if (YAML::Node map = node["image-map"]) {
        auto rules = places.string_pairs(map, "`image-map`");
        KFRUN_TRY(rules);
        test_case.image_map = std::move(rules.value());
    }
    if (YAML::Node timeout = node["timeout"]) {
        auto text = places.scalar(timeout, "`timeout`");
        KFRUN_TRY(text);
        test_case.timeout = *text;
    }
    auto expect = ExpectationLoader(places).load(node["expect"], suite.single_step());
    KFRUN_TRY(expect);
    test_case.expect = std::move(expect.value());
    return test_case;
}

Result<TestSuite> load_suite(const YamlPlaces& places, const YAML::Node& root) {
    TestSuite suite;
    suite.file = places.file();
    if (!root.IsMap()) {
        return places.error(root, "a test file is a mapping with `component` or `pipeline`, and "
                                  "`cases`");
    }
    KFRUN_TRY(places.check_keys(root, k_suite_keys, "a test file"));
    suite.name = default_suite_name(places.file());
    if (YAML::Node name = root["suite"]) {
        auto text = places.scalar(name, "`suite`");
        KFRUN_TRY(text);
        suite.name = *text;
    }
    KFRUN_TRY(load_subject(places, root, suite));
    KFRUN_TRY(load_image_maps(places, root, suite));
    std::map<std::string, InputArgument> default_inputs;
    std::map<std::string, std::string> default_parameters;
    std::string default_timeout;
    if (YAML::Node inputs = root["inputs"]) {
        auto loaded = load_inputs(places, inputs);
        KFRUN_TRY(loaded);
        if (!suite.single_step()) {
            KFRUN_TRY(only_files(places, inputs, *loaded));
        }
        default_inputs = std::move(loaded.value());
    }
    if (YAML::Node parameters = root["parameters"]) {
        if (suite.single_step()) {
            return places.error(parameters, "a component or task suite takes `inputs`, not "
                                            "`parameters`");
        }
        auto loaded = load_parameters(places, parameters);
        KFRUN_TRY(loaded);
        default_parameters = std::move(loaded.value());
    }
    if (YAML::Node timeout = root["timeout"]) {
        auto text = places.scalar(timeout, "`timeout`");
        KFRUN_TRY(text);
        default_timeout = *text;
    }
    YAML::Node cases = root["cases"];
    if (!cases || !cases.IsSequence() || cases.size() == 0) {
        return places.error(cases ? cases : root, "the suite needs `cases`: a list of "
                                                  "{name, inputs, expect}");
    }
    std::set<std::string> names;
    for (const YAML::Node& node : cases) {
        auto test_case = load_case(places, node, suite, default_inputs, default_parameters,
                                   default_timeout);
        KFRUN_TRY(test_case);
        if (!names.insert(test_case->name).second) {
            return places.error(node["name"], "two cases are named `" + test_case->name + "`");
        }
        suite.cases.push_back(std::move(test_case.value()));
    }
    return suite;
}

}  // namespace

Result<TestSuite> load_test_text(const std::string& text, const std::filesystem::path& file) {
    YamlPlaces places(file);
    KFRUN_TRY(model::check_yaml_text_size(text.size(), file.string()));
    auto loaded = model::load_yaml_document(text, file.string());
    KFRUN_TRY(loaded);
    YAML::Node root = std::move(*loaded);
    if (!root || root.IsNull()) {
        return base::make_error(base::ErrorKind::Input, "the test file is empty", file.string());
    }
    try {
        return load_suite(places, root);
    } catch (const YAML::Exception& e) {
        std::string where = file.string();
        if (e.mark.line >= 0) {
            where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        }
        return base::make_error(base::ErrorKind::Input, "unexpected YAML structure: " + e.msg,
                                where);
    }
}

Result<TestSuite> load_test_file(const std::filesystem::path& file) {
    auto text = model::read_file_at_most(file, base::limits().yaml_bytes, "yaml-bytes");
    if (!text.ok()) {
        return text.error().message == "cannot read the file"
                   ? base::make_error(base::ErrorKind::Input, "cannot read the test file",
                                      file.string())
                   : text.error();
    }
    return load_test_text(*text, file);
}

}  // namespace kfrun::harness
