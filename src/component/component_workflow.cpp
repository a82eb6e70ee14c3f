#include "component/component_workflow.hpp"

#include <set>

#include "base/strings.hpp"
#include "component/command_line.hpp"
#include "component/kfp_naming.hpp"

namespace kfrun::component {

using base::Result;

const ComponentOutput* ComponentWorkflow::find_output(const std::string& name) const {
    for (const ComponentOutput& output : outputs) {
        if (output.output == name) {
            return &output;
        }
    }
    return nullptr;
}

namespace {

base::Error input_error(std::string message, std::string where) {
    return base::make_error(base::ErrorKind::Input, std::move(message), std::move(where));
}

std::string input_list(const ComponentSpec& spec) {
    std::vector<std::string> names;
    for (const InputSpec& input : spec.inputs) {
        names.push_back(input.name);
    }
    return names.empty() ? "(none)" : base::join(names, ", ");
}

Result<void> check_arguments(const ComponentSpec& spec, const ComponentArguments& arguments) {
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& [name, value] : arguments.values) {
        names.emplace_back(name, "--input " + name);
    }
    for (const auto& [name, file] : arguments.files) {
        if (arguments.values.count(name) != 0) {
            return input_error("input `" + name + "` is given both as a value and as a file",
                               "--input-file " + name);
        }
        names.emplace_back(name, "--input-file " + name);
    }
    for (const auto& [name, flag] : names) {
        if (spec.find_input(name) == nullptr) {
            return input_error("the component has no input `" + name + "`; its inputs are: " +
                                   input_list(spec),
                               flag);
        }
    }
    for (const InputSpec& input : spec.inputs) {
        bool given =
            arguments.values.count(input.name) != 0 || arguments.files.count(input.name) != 0;
        if (!given && !input.optional && !input.default_value) {
            return input_error("the component needs input `" + input.name + "`" +
                                   (input.type.empty() ? "" : " (" + input.type + ")") +
                                   ", which has no default; pass it with --input " + input.name +
                                   "=VALUE",
                               spec.where(input.yaml_path));
        }
    }
    return base::ok();
}

// Unique Kubernetes-style names for the inputs, as pipeline parameters.
std::map<std::string, std::string> parameter_names(const ComponentSpec& spec) {
    std::map<std::string, std::string> names;
    std::set<std::string> used;
    for (const InputSpec& input : spec.inputs) {
        std::string base_name = sanitize_k8s_name(input.name);
        if (base_name.empty()) {
            base_name = "input";
        }
        std::string name = base_name;
        for (int i = 2; used.count(name) != 0; ++i) {
            name = base_name + "-" + std::to_string(i);
        }
        used.insert(name);
        names[input.name] = name;
    }
    return names;
}

void add_labels(const ComponentSpec& spec, model::Template& tmpl) {
    tmpl.labels = spec.labels;
    tmpl.annotations = spec.annotations;
    tmpl.labels["pipelines.kubeflow.org/pipeline-sdk-type"] = "kfp";
    tmpl.labels.emplace("pipelines.kubeflow.org/enable_caching", "true");
    // KFP disables caching for volatile components.
    auto volatile_flag = spec.annotations.find("volatile_component");
    if (volatile_flag != spec.annotations.end() && volatile_flag->second == "true") {
        tmpl.annotations["pipelines.kubeflow.org/max_cache_staleness"] = "P0D";
    }
    if (!spec.name.empty()) {
        tmpl.annotations["pipelines.kubeflow.org/task_display_name"] = spec.name;
    }
}

}  // namespace

Result<ComponentWorkflow> build_component_workflow(const ComponentSpec& spec,
                                                   const ComponentArguments& arguments) {
    KFRUN_TRY(check_arguments(spec, arguments));
    if (spec.container.image.empty()) {
        return input_error("the container's `image` is empty; the spec leaves it to be filled in "
                           "before it can run",
                           spec.where(spec.container.yaml_path + ".image"));
    }
    std::map<std::string, std::string> parameters = parameter_names(spec);

    PresentInputs inputs;
    for (const InputSpec& input : spec.inputs) {
        if (auto it = arguments.values.find(input.name); it != arguments.values.end()) {
            inputs.values[input.name] = it->second;
        } else if (arguments.files.count(input.name) != 0) {
            inputs.files.insert(input.name);
        } else if (input.default_value) {
            // KFP 1.8 passes every default, even an optional input's.
            inputs.values[input.name] = *input.default_value;
        }
    }
    inputs.value_text = [&parameters](const InputSpec& input) {
        return "{{inputs.parameters." + parameters.at(input.name) + "}}";
    };
    auto resolved = resolve_command_line(spec, inputs);
    KFRUN_TRY(resolved);

    ComponentWorkflow out;
    model::Workflow& workflow = out.workflow;
    std::string template_name = sanitize_k8s_name(spec.name);
    if (template_name.empty()) {
        template_name = "component";
    }
    workflow.name = template_name;
    workflow.display_name = spec.name.empty() ? template_name : spec.name;
    workflow.description = spec.description;
    workflow.entrypoint = template_name;
    workflow.sources = spec.sources;

    model::Template tmpl;
    tmpl.name = template_name;
    tmpl.kind = model::Template::Kind::Container;
    tmpl.yaml_path = spec.container.yaml_path;
    tmpl.container.name = "main";
    tmpl.container.image = spec.container.image;
    tmpl.container.command = resolved->command;
    tmpl.container.args = resolved->args;
    tmpl.container.yaml_path = spec.container.yaml_path;
    for (const auto& [name, value] : spec.container.env) {
        model::EnvVar var;
        var.name = name;
        var.value = value;
        var.yaml_path = spec.container.yaml_path + ".env." + name;
        tmpl.container.env.push_back(std::move(var));
    }
    add_labels(spec, tmpl);

    for (const std::string& input_name : resolved->inputs_consumed_by_value) {
        const InputSpec& input = *spec.find_input(input_name);
        model::Parameter declared;
        declared.name = parameters.at(input_name);
        declared.yaml_path = input.yaml_path;
        tmpl.inputs.parameters.push_back(declared);
        declared.value = inputs.values.at(input_name);
        workflow.arguments.parameters.push_back(std::move(declared));
    }
    for (const auto& [input_name, path] : resolved->input_paths) {
        const InputSpec& input = *spec.find_input(input_name);
        model::Artifact artifact;
        artifact.name = parameters.at(input_name);
        artifact.path = path;
        artifact.yaml_path = input.yaml_path;
        if (auto it = inputs.values.find(input_name); it != inputs.values.end()) {
            artifact.raw_data = it->second;  // a constant passed to an inputPath: raw data
        } else {
            out.files.push_back(
                ComponentInputFile{input_name, artifact.name, arguments.files.at(input_name)});
        }
        tmpl.inputs.artifacts.push_back(std::move(artifact));
    }
    for (const auto& [output_name, path] : resolved->output_paths) {
        const OutputSpec& output = *spec.find_output(output_name);
        std::optional<std::string> special = special_output_name(output_name);
        ComponentOutput binding;
        binding.output = output_name;
        binding.path = path;
        binding.artifact =
            special ? *special : template_name + "-" + sanitize_k8s_name(output_name, true);
        model::Artifact artifact;
        artifact.name = binding.artifact;
        artifact.path = path;
        artifact.optional = special.has_value();
        artifact.yaml_path = output.yaml_path;
        tmpl.outputs.artifacts.push_back(std::move(artifact));
        if (!special && is_parameter_type(output.type)) {
            binding.parameter = binding.artifact;
            model::Parameter parameter;
            parameter.name = binding.parameter;
            parameter.from_path = path;
            parameter.yaml_path = output.yaml_path;
            tmpl.outputs.parameters.push_back(std::move(parameter));
        }
        out.outputs.push_back(std::move(binding));
    }
    workflow.templates.push_back(std::move(tmpl));
    workflow.index_templates();
    return out;
}

}  // namespace kfrun::component
