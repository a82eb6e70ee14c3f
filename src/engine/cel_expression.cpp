#include "engine/cel_expression.hpp"

#include <exception>

#include "base/visible_text.hpp"
#include "engine/cel_ast.hpp"
#include "engine/cel_eval.hpp"
#include "engine/cel_parser.hpp"
#include "engine/cel_value.hpp"

namespace kfrun::engine {

namespace {

// The expression as an error shows it: quoted, control characters visible, long text cut.
std::string shown_expression(std::string_view text) {
    constexpr std::size_t k_shown = 200;
    std::string shown(text.substr(0, k_shown));
    while (!shown.empty() && shown.size() < text.size() &&
           (static_cast<unsigned char>(text[shown.size()]) & 0xC0) == 0x80) {
        shown.pop_back();  // end on a character boundary
    }
    return "\"" + base::visible_text(shown) + (shown.size() < text.size() ? "…" : "") + "\"";
}

base::Error with_subject(base::Error error, std::string_view subject, std::string_view text) {
    error.message = std::string(subject) + " " + shown_expression(text) + ": " + error.message;
    return error;
}

std::string with_article(std::string_view kind) {
    if (kind == "null_type") {
        return "null";
    }
    bool vowel = kind == "int" || kind == "uint";
    return std::string(vowel ? "an " : "a ") + std::string(kind);
}

base::Result<nlohmann::json> evaluate_as(const CelProgram& program, const nlohmann::json& variables,
                                         std::string_view subject) {
    try {
        auto value = cel::evaluate_tree(program.root(), variables);
        if (!value.ok()) {
            return with_subject(value.error(), subject, program.text());
        }
        return value;
    } catch (const std::exception& e) {
        return base::make_error(base::ErrorKind::Internal,
                                std::string(subject) + " " + shown_expression(program.text()) +
                                    ": internal error while evaluating: " + e.what());
    }
}

}  // namespace

base::Result<CelProgram> parse_cel(std::string_view text) {
    if (text.size() > k_cel_max_text_bytes) {
        return base::make_error(base::ErrorKind::Input,
                                "CEL expression " + shown_expression(text) + " is " +
                                    std::to_string(text.size()) + " bytes long, more than the " +
                                    std::to_string(k_cel_max_text_bytes / 1024) + " KiB allowed");
    }
    try {
        auto root = cel::parse_tree(text);
        if (!root.ok()) {
            return with_subject(root.error(), "CEL expression", text);
        }
        return CelProgram(std::string(text), std::shared_ptr<const cel::Node>(std::move(*root)));
    } catch (const std::exception& e) {
        return base::make_error(base::ErrorKind::Internal,
                                "CEL expression " + shown_expression(text) +
                                    ": internal error while parsing: " + e.what());
    }
}

base::Result<nlohmann::json> evaluate(const CelProgram& program, const nlohmann::json& variables) {
    return evaluate_as(program, variables, "CEL expression");
}

base::Result<bool> evaluate_condition(const CelProgram& program, const nlohmann::json& variables) {
    auto value = evaluate_as(program, variables, "condition");
    if (!value.ok()) {
        return value.error();
    }
    if (!value->is_boolean()) {
        return base::make_error(base::ErrorKind::Step,
                                "condition " + shown_expression(program.text()) + " evaluated to " +
                                    with_article(cel::kind_name(*value)) + ", not a bool");
    }
    return value->get<bool>();
}

}  // namespace kfrun::engine
