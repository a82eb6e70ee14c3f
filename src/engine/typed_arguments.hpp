#pragma once
// Typed pipeline inputs (KFP v2): a value given on the command line (`-p n=5`, a parameter
// file) converted by the input's declared type, with the API server's checks. kfrun converts by
// the declared type instead of guessing from the text, so `-p tag=123` for a STRING input stays
// the text "123" and `-p n=five` for a NUMBER_INTEGER is refused before anything runs.
#include <string>
#include <vector>

#include "base/result.hpp"
#include "model/io.hpp"

namespace kfrun::engine {

// The canonical text (model/typed_value.hpp) of `text` given for `declared`. Untyped (Argo)
// parameters take the text as it is. Errors are Input errors naming the input and its type.
base::Result<std::string> typed_argument(const model::Parameter& declared, const std::string& text);

// What the driver would find wrong with a STRING-free conversion: a NUMBER_INTEGER value that is
// not integral is accepted (as the API server does) but worth a warning.
std::vector<std::string> typed_argument_warnings(const model::Parameter& declared,
                                                 const std::string& canonical);

}  // namespace kfrun::engine
