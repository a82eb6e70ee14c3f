// kfp-kubernetes CreatePVC / DeletePVC tasks. On a cluster their images (argostub/createpvc,
// argostub/deletepvc) never run: the driver calls Kubernetes. Here they become resource
// templates with a PersistentVolumeClaim manifest, which the engine's resource runner turns
// into a Docker volume (create) or removes (delete). No image is pulled.
#include "base/json_text.hpp"
#include "kfpv2/translation.hpp"

namespace kfrun::kfpv2 {

using base::Result;

namespace {

bool binds(const model::TaskCall& call, const std::string& name) {
    return model::find_by_name(call.arguments.parameters, name) != nullptr;
}

std::string input(const std::string& name) {
    return "{{inputs.parameters." + name + "}}";
}

}  // namespace

std::optional<Result<std::string>> translate_pvc_task(Translation& t, const std::string& task,
                                                      const std::string& rel,
                                                      const std::string& component_key,
                                                      const nlohmann::json& executor,
                                                      const model::TaskCall& call) {
    const std::string image = text_member(member(executor, "container"), "image");
    const bool create = image.rfind("argostub/createpvc", 0) == 0;
    const bool remove = image.rfind("argostub/deletepvc", 0) == 0;
    if (!create && !remove) {
        return std::nullopt;
    }
    const nlohmann::json& component = t.component(component_key);
    const std::string component_rel = "components." + component_key;
    model::Template tmpl;
    tmpl.kind = model::Template::Kind::Resource;
    tmpl.name = t.unique_name(task);
    tmpl.yaml_path = t.path(rel);
    // Only the inputs the task binds: the manifest leaves the others out, as the driver does.
    for (model::Parameter& parameter : declared_inputs(t, component, component_rel).parameters) {
        if (binds(call, parameter.name)) {
            tmpl.inputs.parameters.push_back(std::move(parameter));
        }
    }
    // The manifest is JSON whose string members are placeholders, each substituted on its own
    // (typed_manifest): LIST/STRUCT inputs (access_modes, annotations, data_source) take their
    // JSON value, and no value can add a member.
    nlohmann::json manifest = {{"apiVersion", "v1"}, {"kind", "PersistentVolumeClaim"}};
    if (create) {
        std::string name;
        if (binds(call, "pvc_name")) {
            name = input("pvc_name");
        } else if (binds(call, "pvc_name_suffix")) {
            name = "{{workflow.uid}}" + input("pvc_name_suffix");  // the driver: <uuid><suffix>
        } else {
            return Result<std::string>(
                t.error(rel + ".inputs", "CreatePVC needs pvc_name or pvc_name_suffix"));
        }
        manifest["metadata"] = {{"name", name}};
        if (binds(call, "annotations")) {
            manifest["metadata"]["annotations"] = input("annotations");
        }
        nlohmann::json spec = {{"accessModes", binds(call, "access_modes")
                                                   ? nlohmann::json(input("access_modes"))
                                                   : nlohmann::json::array({"ReadWriteOnce"})}};
        if (binds(call, "size")) {
            spec["resources"] = {{"requests", {{"storage", input("size")}}}};
        }
        if (binds(call, "storage_class_name")) {
            spec["storageClassName"] = input("storage_class_name");
        }
        if (binds(call, "volume_name")) {
            spec["volumeName"] = input("volume_name");
        }
        if (binds(call, "data_source")) {
            spec["dataSource"] = input("data_source");
        }
        manifest["spec"] = std::move(spec);
        tmpl.resource.action = "create";
        model::Parameter output;
        output.name = "name";
        output.type = "STRING";
        output.from_json_path = "{.metadata.name}";
        output.yaml_path = t.path(component_rel + ".outputDefinitions");
        tmpl.outputs.parameters.push_back(std::move(output));
    } else {
        if (!binds(call, "pvc_name")) {
            return Result<std::string>(t.error(rel + ".inputs", "DeletePVC needs pvc_name"));
        }
        manifest["metadata"] = {{"name", input("pvc_name")}};
        tmpl.resource.action = "delete";
    }
    tmpl.resource.manifest = base::json_text(manifest);
    tmpl.resource.typed_manifest = true;
    std::string name = tmpl.name;
    t.workflow.templates.push_back(std::move(tmpl));
    return Result<std::string>(std::move(name));
}

}  // namespace kfrun::kfpv2
