#pragma once
// Typed values (KFP v2 parameters) and the canonical text they travel through the engine as.
// The text is what the KFP backend's driver substitutes into command and args: STRING as is,
// numbers as Go's strconv.FormatFloat(f, 'g', -1, 64), booleans `true`/`false`, LIST and
// STRUCT as compact JSON with sorted keys. The declared type turns the text back into JSON.
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.hpp"

namespace kfrun::model {

// KFP v2 parameter types (ParameterType.ParameterTypeEnum names).
inline constexpr const char* k_type_string = "STRING";
inline constexpr const char* k_type_integer = "NUMBER_INTEGER";
inline constexpr const char* k_type_double = "NUMBER_DOUBLE";
inline constexpr const char* k_type_boolean = "BOOLEAN";
inline constexpr const char* k_type_list = "LIST";
inline constexpr const char* k_type_struct = "STRUCT";
inline constexpr const char* k_type_task_final_status = "TASK_FINAL_STATUS";
inline constexpr const char* k_type_task_config = "TASK_CONFIG";

bool is_known_parameter_type(const std::string& type);

// Go's %g with the shortest precision that reads back the same double: 3 → "3",
// 1234567.5 → "1.2345675e+06", 1e-05 → "1e-05", 1e8 → "1e+08", -0 → "-0".
std::string format_go_float(double value);

// A JSON value as canonical text (null → "", as the driver substitutes it).
std::string canonical_text(const nlohmann::json& value);

// The canonical text of a value back as JSON of the declared type: STRING (and untyped) → a
// string; NUMBER_* → a double; BOOLEAN → a bool; LIST → an array; STRUCT, TASK_FINAL_STATUS,
// TASK_CONFIG → an object. A text that is not of the type is an Input error naming both.
base::Result<nlohmann::json> typed_value(const std::string& text, const std::string& type);

}  // namespace kfrun::model
