#pragma once
// Error: an expected failure as a value, carrying where it happened.
#include <string>

namespace kfrun::base {

// Where an error belongs, so the CLI can pick an exit code and the report a phase.
enum class ErrorKind {
    Input,     // bad pipeline, parameter or flag: exit 2, before anything runs
    Docker,    // the Docker Engine refused or failed a call
    Io,        // local files: store, cache, report
    Step,      // a step's own failure surfaced as an error (missing output, bad withParam, ...)
    Internal,  // a bug in kfrun
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message;
    // Where it happened: "file.yaml:12:5 (spec.templates[2].container.args[0])",
    // or "docker POST /containers/create: HTTP 404". Empty when unknown.
    std::string where;

    // "where: message" (or just the message).
    std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

inline Error make_error(ErrorKind kind, std::string message, std::string where = {}) {
    return Error{kind, std::move(message), std::move(where)};
}

}  // namespace kfrun::base
