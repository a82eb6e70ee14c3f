#include "kfpv2/ir_schema.hpp"

namespace kfrun::kfpv2 {

using K = Field::Kind;

std::string camel_case(const std::string& snake) {
    std::string out;
    bool upper = false;
    for (char c : snake) {
        if (c == '_') {
            upper = true;
            continue;
        }
        out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return out;
}

const Field* Message::find(const std::string& key) const {
    for (const Field& field : fields) {
        if (key == field.name || key == camel_case(field.name)) {
            return &field;
        }
    }
    return nullptr;
}

namespace {

// --- pipeline_spec.proto -------------------------------------------------------------------

const Message k_artifact_type{
    "ArtifactTypeSchema",
    {{"schema_title"}, {"schema_uri"}, {"instance_schema"}, {"schema_version"}}};

const Message k_input_artifact_spec{"ComponentInputsSpec.ArtifactSpec",
                                    {{"artifact_type", K::Object, &k_artifact_type},
                                     {"is_artifact_list"},
                                     {"is_optional"},
                                     {"description"}}};
const Message k_input_parameter_spec{"ComponentInputsSpec.ParameterSpec",
                                     {{"type"},
                                      {"parameter_type"},
                                      {"default_value", K::Any},
                                      {"is_optional"},
                                      {"description"},
                                      {"literals", K::Any}}};
const Message k_inputs_spec{"ComponentInputsSpec",
                            {{"artifacts", K::MessageMap, &k_input_artifact_spec},
                             {"parameters", K::MessageMap, &k_input_parameter_spec}}};

const Message k_value_or_runtime{
    "ValueOrRuntimeParameter",
    {{"constant_value", K::Any}, {"runtime_parameter"}, {"constant", K::Any}}};

const Message k_output_artifact_spec{"ComponentOutputsSpec.ArtifactSpec",
                                     {{"artifact_type", K::Object, &k_artifact_type},
                                      {"properties", K::MessageMap, &k_value_or_runtime},
                                      {"custom_properties", K::MessageMap, &k_value_or_runtime},
                                      {"metadata", K::Any},
                                      {"is_artifact_list"},
                                      {"description"}}};
const Message k_output_parameter_spec{"ComponentOutputsSpec.ParameterSpec",
                                      {{"type"}, {"parameter_type"}, {"description"}}};
const Message k_outputs_spec{"ComponentOutputsSpec",
                             {{"artifacts", K::MessageMap, &k_output_artifact_spec},
                              {"parameters", K::MessageMap, &k_output_parameter_spec}}};

const Message k_task_output_artifact{"TaskOutputArtifactSpec",
                                     {{"producer_task"}, {"output_artifact_key"}}};
const Message k_input_artifact{
    "TaskInputsSpec.InputArtifactSpec",
    {{"task_output_artifact", K::Object, &k_task_output_artifact}, {"component_input_artifact"}}};
const Message k_task_output_parameter{"TaskOutputParameterSpec",
                                      {{"producer_task"}, {"output_parameter_key"}}};
const Message k_task_final_status{"TaskFinalStatus", {{"producer_task"}}};
const Message k_input_parameter{"TaskInputsSpec.InputParameterSpec",
                                {{"task_output_parameter", K::Object, &k_task_output_parameter},
                                 {"runtime_value", K::Object, &k_value_or_runtime},
                                 {"component_input_parameter"},
                                 {"task_final_status", K::Object, &k_task_final_status},
                                 {"parameter_expression_selector"}}};
const Message k_task_inputs{"TaskInputsSpec",
                            {{"parameters", K::MessageMap, &k_input_parameter},
                             {"artifacts", K::MessageMap, &k_input_artifact}}};

const Message k_task_info{"PipelineTaskInfo", {{"name"}}};
const Message k_caching_options{"CachingOptions", {{"enable_cache"}, {"cache_key"}}};
const Message k_component_ref{"ComponentRef", {{"name"}}};
const Message k_trigger_policy{"TriggerPolicy", {{"condition"}, {"strategy"}}};
const Message k_artifact_items{"ArtifactIteratorSpec.ItemsSpec", {{"input_artifact"}}};
const Message k_artifact_iterator{"ArtifactIteratorSpec",
                                  {{"items", K::Object, &k_artifact_items}, {"item_input"}}};
const Message k_parameter_items{"ParameterIteratorSpec.ItemsSpec", {{"raw"}, {"input_parameter"}}};
const Message k_parameter_iterator{"ParameterIteratorSpec",
                                   {{"items", K::Object, &k_parameter_items}, {"item_input"}}};
const Message k_retry_policy{
    "RetryPolicy",
    {{"max_retry_count"}, {"backoff_duration"}, {"backoff_factor"}, {"backoff_max_duration"}}};
const Message k_iterator_policy{"IteratorPolicy", {{"parallelism_limit"}}};
const Message k_task_spec{"PipelineTaskSpec",
                          {{"task_info", K::Object, &k_task_info},
                           {"inputs", K::Object, &k_task_inputs},
                           {"dependent_tasks", K::ScalarList},
                           {"caching_options", K::Object, &k_caching_options},
                           {"component_ref", K::Object, &k_component_ref},
                           {"trigger_policy", K::Object, &k_trigger_policy},
                           {"artifact_iterator", K::Object, &k_artifact_iterator},
                           {"parameter_iterator", K::Object, &k_parameter_iterator},
                           {"retry_policy", K::Object, &k_retry_policy},
                           {"iterator_policy", K::Object, &k_iterator_policy}}};

const Message k_artifact_selector{"ArtifactSelectorSpec",
                                  {{"producer_subtask"}, {"output_artifact_key"}}};
const Message k_dag_output_artifact{"DagOutputArtifactSpec",
                                    {{"artifact_selectors", K::MessageList, &k_artifact_selector}}};
const Message k_parameter_selector{"ParameterSelectorSpec",
                                   {{"producer_subtask"}, {"output_parameter_key"}}};
const Message k_parameter_selectors{
    "ParameterSelectorsSpec", {{"parameter_selectors", K::MessageList, &k_parameter_selector}}};
const Message k_dag_output_parameter{"DagOutputParameterSpec",
                                     {{"value_from_parameter", K::Object, &k_parameter_selector},
                                      {"value_from_oneof", K::Object, &k_parameter_selectors}}};
const Message k_dag_outputs{"DagOutputsSpec",
                            {{"artifacts", K::MessageMap, &k_dag_output_artifact},
                             {"parameters", K::MessageMap, &k_dag_output_parameter}}};
const Message k_dag{
    "DagSpec", {{"tasks", K::MessageMap, &k_task_spec}, {"outputs", K::Object, &k_dag_outputs}}};

const Message k_task_config_passthrough{"TaskConfigPassthrough", {{"field"}, {"apply_to_task"}}};
const Message k_component{
    "ComponentSpec",
    {{"input_definitions", K::Object, &k_inputs_spec},
     {"output_definitions", K::Object, &k_outputs_spec},
     {"dag", K::Object, &k_dag},
     {"executor_label"},
     {"single_platform_specs", K::Any},
     {"task_config_passthroughs", K::MessageList, &k_task_config_passthrough}}};

const Message k_exec{"Lifecycle.Exec", {{"command", K::ScalarList}, {"args", K::ScalarList}}};
const Message k_lifecycle{"Lifecycle", {{"pre_cache_check", K::Object, &k_exec}}};
const Message k_accelerator{"AcceleratorConfig",
                            {{"type"}, {"count"}, {"resource_type"}, {"resource_count"}}};
const Message k_resources{"ResourceSpec",
                          {{"cpu_limit"},
                           {"memory_limit"},
                           {"cpu_request"},
                           {"memory_request"},
                           {"resource_cpu_limit"},
                           {"resource_memory_limit"},
                           {"resource_cpu_request"},
                           {"resource_memory_request"},
                           {"accelerator", K::Object, &k_accelerator}}};
const Message k_env_var{"EnvVar", {{"name"}, {"value"}}};
const Message k_container{"PipelineContainerSpec",
                          {{"image"},
                           {"command", K::ScalarList},
                           {"args", K::ScalarList},
                           {"lifecycle", K::Object, &k_lifecycle},
                           {"resources", K::Object, &k_resources},
                           {"env", K::MessageList, &k_env_var}}};
const Message k_importer{"ImporterSpec",
                         {{"artifact_uri", K::Object, &k_value_or_runtime},
                          {"type_schema", K::Object, &k_artifact_type},
                          {"properties", K::MessageMap, &k_value_or_runtime},
                          {"custom_properties", K::MessageMap, &k_value_or_runtime},
                          {"reimport"},
                          {"metadata", K::Any},
                          {"download_to_workspace"}}};
const Message k_executor{"ExecutorSpec",
                         {{"container", K::Object, &k_container},
                          {"importer", K::Object, &k_importer},
                          {"resolver", K::Any},
                          {"custom_job", K::Any}}};
const Message k_deployment{"PipelineDeploymentConfig", {{"executors", K::MessageMap, &k_executor}}};
const Message k_pipeline_info{"PipelineInfo", {{"name"}, {"display_name"}, {"description"}}};
const Message k_pipeline_spec{"PipelineSpec",
                              {{"pipeline_info", K::Object, &k_pipeline_info},
                               {"deployment_spec", K::Object, &k_deployment},
                               {"sdk_version"},
                               {"schema_version"},
                               {"components", K::MessageMap, &k_component},
                               {"root", K::Object, &k_component},
                               {"default_pipeline_root"}}};
const Message k_pipeline_job{"PipelineJob",
                             {{"name"},
                              {"display_name"},
                              {"pipeline_spec", K::Object, &k_pipeline_spec},
                              {"labels", K::ScalarMap},
                              {"runtime_config", K::Any}}};

// --- kubernetes_executor_config.proto ------------------------------------------------------

const Message k_key_to_env_secret{"SecretKeyToEnvMap", {{"secret_key"}, {"env_var"}}};
const Message k_key_to_env_config_map{"ConfigMapKeyToEnvMap", {{"config_map_key"}, {"env_var"}}};
const Message k_secret_as_volume{"SecretAsVolume",
                                 {{"secret_name"},
                                  {"mount_path"},
                                  {"optional"},
                                  {"secret_name_parameter", K::Object, &k_input_parameter}}};
const Message k_secret_as_env{"SecretAsEnv",
                              {{"secret_name"},
                               {"key_to_env", K::MessageList, &k_key_to_env_secret},
                               {"optional"},
                               {"secret_name_parameter", K::Object, &k_input_parameter}}};
const Message k_pvc_mount{"PvcMount",
                          {{"task_output_parameter", K::Object, &k_task_output_parameter},
                           {"constant"},
                           {"component_input_parameter"},
                           {"mount_path"},
                           {"pvc_name_parameter", K::Object, &k_input_parameter},
                           {"sub_path"}}};
const Message k_node_selector{
    "NodeSelector",
    {{"labels", K::ScalarMap}, {"node_selector_json", K::Object, &k_input_parameter}}};
const Message k_pod_metadata{"PodMetadata",
                             {{"labels", K::ScalarMap}, {"annotations", K::ScalarMap}}};
const Message k_image_pull_secret{
    "ImagePullSecret", {{"secret_name"}, {"secret_name_parameter", K::Object, &k_input_parameter}}};
const Message k_config_map_as_volume{
    "ConfigMapAsVolume",
    {{"config_map_name"},
     {"mount_path"},
     {"optional"},
     {"config_map_name_parameter", K::Object, &k_input_parameter}}};
const Message k_config_map_as_env{"ConfigMapAsEnv",
                                  {{"config_map_name"},
                                   {"key_to_env", K::MessageList, &k_key_to_env_config_map},
                                   {"config_map_name_parameter", K::Object, &k_input_parameter},
                                   {"optional"}}};
const Message k_generic_ephemeral_volume{"GenericEphemeralVolume",
                                         {{"volume_name"},
                                          {"mount_path"},
                                          {"access_modes", K::ScalarList},
                                          {"size"},
                                          {"default_storage_class"},
                                          {"storage_class_name"},
                                          {"metadata", K::Object, &k_pod_metadata}}};
const Message k_field_path_as_env{"FieldPathAsEnv", {{"name"}, {"field_path"}}};
const Message k_toleration{"Toleration",
                           {{"key"},
                            {"operator"},
                            {"value"},
                            {"effect"},
                            {"toleration_seconds"},
                            {"toleration_json", K::Object, &k_input_parameter}}};
const Message k_selector_requirement{"SelectorRequirement",
                                     {{"key"}, {"operator"}, {"values", K::ScalarList}}};
const Message k_node_affinity{"NodeAffinityTerm",
                              {{"match_expressions", K::MessageList, &k_selector_requirement},
                               {"match_fields", K::MessageList, &k_selector_requirement},
                               {"weight"},
                               {"node_affinity_json", K::Object, &k_input_parameter}}};
const Message k_pod_affinity{
    "PodAffinityTerm",
    {{"match_pod_expressions", K::MessageList, &k_selector_requirement},
     {"match_pod_labels", K::ScalarMap},
     {"topology_key"},
     {"namespaces", K::ScalarList},
     {"match_namespace_expressions", K::MessageList, &k_selector_requirement},
     {"match_namespace_labels", K::ScalarMap},
     {"weight"},
     {"anti"}}};
const Message k_shared_memory{"EnabledSharedMemory", {{"volume_name"}, {"size"}}};
const Message k_empty_dir{"EmptyDirMount",
                          {{"volume_name"}, {"mount_path"}, {"medium"}, {"size_limit"}}};
const Message k_security_context{"SecurityContext",
                                 {{"run_as_user"}, {"run_as_group"}, {"run_as_non_root"}}};
const Message k_init_env{"InitContainer.EnvVar", {{"name"}, {"value"}}};
const Message k_init_mount{"InitContainer.VolumeMount", {{"volume_name"}, {"mount_path"}}};
const Message k_init_resources{"InitContainer.ResourceRequirements",
                               {{"requests", K::ScalarMap}, {"limits", K::ScalarMap}}};
const Message k_init_container{"InitContainer",
                               {{"name"},
                                {"image"},
                                {"command", K::ScalarList},
                                {"args", K::ScalarList},
                                {"env", K::MessageList, &k_init_env},
                                {"volume_mounts", K::MessageList, &k_init_mount},
                                {"restart_policy"},
                                {"resources", K::Object, &k_init_resources}}};
const Message k_kubernetes_executor{
    "KubernetesExecutorConfig",
    {{"secret_as_volume", K::MessageList, &k_secret_as_volume},
     {"secret_as_env", K::MessageList, &k_secret_as_env},
     {"pvc_mount", K::MessageList, &k_pvc_mount},
     {"node_selector", K::Object, &k_node_selector},
     {"pod_metadata", K::Object, &k_pod_metadata},
     {"image_pull_secret", K::MessageList, &k_image_pull_secret},
     {"image_pull_policy"},
     {"config_map_as_volume", K::MessageList, &k_config_map_as_volume},
     {"config_map_as_env", K::MessageList, &k_config_map_as_env},
     {"active_deadline_seconds"},
     {"field_path_as_env", K::MessageList, &k_field_path_as_env},
     {"tolerations", K::MessageList, &k_toleration},
     {"generic_ephemeral_volume", K::MessageList, &k_generic_ephemeral_volume},
     {"node_affinity", K::MessageList, &k_node_affinity},
     {"pod_affinity", K::MessageList, &k_pod_affinity},
     {"enabled_shared_memory", K::Object, &k_shared_memory},
     {"empty_dir_mounts", K::MessageList, &k_empty_dir},
     {"security_context", K::Object, &k_security_context},
     {"init_containers", K::MessageList, &k_init_container}}};

const Message k_platform_deployment{"PlatformDeploymentConfig",
                                    {{"executors", K::MessageMap, &k_kubernetes_executor}}};
const Message k_workspace{"WorkspaceConfig", {{"size"}, {"kubernetes", K::Any}}};
const Message k_pipeline_config{"PipelineConfig",
                                {{"resource_ttl_on_completion"},
                                 {"workspace", K::Object, &k_workspace},
                                 {"resource_ttl_on_success"},
                                 {"resource_ttl_on_failure"},
                                 {"active_deadline_seconds"}}};
const Message k_single_platform{"SinglePlatformSpec",
                                {{"deployment_spec", K::Object, &k_platform_deployment},
                                 {"platform"},
                                 {"config", K::Any},
                                 {"pipelineConfig", K::Object, &k_pipeline_config}}};
const Message k_platforms{"PlatformSpec.platforms",
                          {{"kubernetes", K::Object, &k_single_platform}}};
const Message k_platform_document{"PlatformSpec", {{"platforms", K::Object, &k_platforms}}};

}  // namespace

const Message& pipeline_spec_message() {
    return k_pipeline_spec;
}
const Message& pipeline_job_message() {
    return k_pipeline_job;
}
const Message& platform_document_message() {
    return k_platform_document;
}

}  // namespace kfrun::kfpv2
