#pragma once
// IrSchema: the fields of every IR message kfrun reads, as the protos declare them
// (api/v2alpha1/pipeline_spec.proto, kubernetes_platform/proto/kubernetes_executor_config.proto).
// The API server parses IR with strict proto-JSON: an unknown field rejects the upload, so
// kfrun checks every mapping against these tables. Names are the protos' snake_case; the
// lowerCamelCase JSON name is accepted too, as protojson does.
#include <string>
#include <vector>

namespace kfrun::kfpv2 {

struct Message;

struct Field {
    enum class Kind {
        Scalar,       // string, number, bool, enum
        Any,          // google.protobuf.Struct / Value: anything
        Object,       // a nested message
        MessageMap,   // map<string, message>
        MessageList,  // repeated message
        ScalarList,   // repeated string
        ScalarMap,    // map<string, string>
    };
    const char* name;  // proto name (snake_case)
    Kind kind = Kind::Scalar;
    const Message* message = nullptr;
};

struct Message {
    const char* name;  // e.g. "PipelineTaskSpec"
    std::vector<Field> fields;
    // The field of this message `key` names (camelCase or snake_case), or nullptr.
    const Field* find(const std::string& key) const;
};

// lower_snake → lowerCamel ("dependent_tasks" → "dependentTasks").
std::string camel_case(const std::string& snake);

const Message& pipeline_spec_message();
const Message& pipeline_job_message();
const Message& platform_document_message();  // {platforms: {kubernetes: SinglePlatformSpec}}

}  // namespace kfrun::kfpv2
