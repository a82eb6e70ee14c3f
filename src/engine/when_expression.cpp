#include "engine/when_expression.hpp"

#include <cctype>
#include <cmath>
#include <variant>
#include <vector>

#include <re2/re2.h>

namespace kfrun::engine {

namespace {

using Value = std::variant<double, std::string, bool>;

// How deep ( ! and - may nest; Argo's own conditions stay within a few levels.
constexpr int k_max_nesting = 100;

enum class TokenKind { Number, String, Bool, Operator, LeftParen, RightParen, End };

struct Token {
    TokenKind kind = TokenKind::End;
    std::string text;
    double number = 0;
    bool boolean = false;
};

base::Error when_error(const std::string& message) {
    return base::make_error(base::ErrorKind::Step, message);
}

base::Result<std::vector<Token>> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++i;
            continue;
        }
        if (c == '(' || c == ')') {
            tokens.push_back({c == '(' ? TokenKind::LeftParen : TokenKind::RightParen,
                              std::string(1, c)});
            ++i;
            continue;
        }
        if (c == '"' || c == '\'') {
            std::size_t close = i + 1;
            std::string value;
            while (close < text.size() && text[close] != c) {
                if (text[close] == '\\' && close + 1 < text.size()) {
                    ++close;
                }
                value += text[close++];
            }
            if (close >= text.size()) {
                return when_error("unclosed string literal");
            }
            tokens.push_back({TokenKind::String, value});
            i = close + 1;
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) != 0 ||
            (c == '.' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) != 0)) {
            std::size_t end = i;
            while (end < text.size() &&
                   (std::isdigit(static_cast<unsigned char>(text[end])) != 0 || text[end] == '.' ||
                    text[end] == 'e' || text[end] == 'E')) {
                ++end;
            }
            // A number glued to letters (e.g. "3abc") is a bare word in govaluate's eyes.
            if (end < text.size() && (std::isalpha(static_cast<unsigned char>(text[end])) != 0 ||
                                      text[end] == '_')) {
                // fall through to the identifier branch below
            } else {
                std::string number(text.substr(i, end - i));
                char* parsed_end = nullptr;
                double value = std::strtod(number.c_str(), &parsed_end);
                if (parsed_end == nullptr || *parsed_end != '\0') {
                    return when_error("cannot parse number `" + number + "`");
                }
                tokens.push_back({TokenKind::Number, number, value});
                i = end;
                continue;
            }
        }
        if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$') {
            std::size_t end = i;
            while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 ||
                                         text[end] == '_' || text[end] == '$' || text[end] == '.')) {
                ++end;
            }
            std::string word(text.substr(i, end - i));
            if (word == "true" || word == "false") {
                Token token{TokenKind::Bool, word};
                token.boolean = word == "true";
                tokens.push_back(token);
            } else if (word.find('.') != std::string::npos) {
                // govaluate reads `a.b` as an accessor on a parameter Argo never passes.
                return when_error("No parameter '" + word.substr(0, word.find('.')) + "' found.");
            } else {
                tokens.push_back({TokenKind::String, word});  // Argo turns variables into strings
            }
            i = end;
            continue;
        }
        static const char* k_operators[] = {"==", "!=", "<=", ">=", "=~", "!~", "&&", "||",
                                            "<",  ">",  "!",  "+",  "-",  "*",  "/",  "%"};
        bool matched = false;
        for (const char* op : k_operators) {
            std::string_view candidate(op);
            if (text.substr(i, candidate.size()) == candidate) {
                tokens.push_back({TokenKind::Operator, std::string(candidate)});
                i += candidate.size();
                matched = true;
                break;
            }
        }
        if (!matched) {
            return when_error(std::string("unexpected character `") + c + "`");
        }
    }
    tokens.push_back({TokenKind::End, ""});
    return tokens;
}

std::string describe(const Value& value) {
    if (const double* number = std::get_if<double>(&value)) {
        std::string text = std::to_string(*number);
        return text;
    }
    if (const bool* boolean = std::get_if<bool>(&value)) {
        return *boolean ? "true" : "false";
    }
    return std::get<std::string>(value);
}

class Parser {
public:
    // check_only: parse the structure and skip type checks (for validation before a run).
    Parser(std::vector<Token> tokens, bool check_only)
        : m_tokens(std::move(tokens)), m_check_only(check_only) {}

    base::Result<Value> parse_all() {
        auto value = parse_or();
        KFRUN_TRY(value);
        if (peek().kind != TokenKind::End) {
            return when_error("unexpected `" + peek().text + "`");
        }
        return value;
    }

private:
    const Token& peek() const { return m_tokens[m_pos]; }
    bool accept(const std::string& op) {
        if (peek().kind == TokenKind::Operator && peek().text == op) {
            ++m_pos;
            return true;
        }
        return false;
    }

    base::Result<Value> parse_or() {
        auto left = parse_and();
        KFRUN_TRY(left);
        while (accept("||")) {
            auto right = parse_and();
            KFRUN_TRY(right);
            auto l = as_bool(*left, "||");
            KFRUN_TRY(l);
            auto r = as_bool(*right, "||");
            KFRUN_TRY(r);
            left = Value(*l || *r);
        }
        return left;
    }

    base::Result<Value> parse_and() {
        auto left = parse_comparison();
        KFRUN_TRY(left);
        while (accept("&&")) {
            auto right = parse_comparison();
            KFRUN_TRY(right);
            auto l = as_bool(*left, "&&");
            KFRUN_TRY(l);
            auto r = as_bool(*right, "&&");
            KFRUN_TRY(r);
            left = Value(*l && *r);
        }
        return left;
    }

    base::Result<Value> parse_comparison() {
        auto left = parse_additive();
        KFRUN_TRY(left);
        static const char* k_comparators[] = {"==", "!=", "<=", ">=", "<", ">", "=~", "!~"};
        for (const char* op : k_comparators) {
            if (accept(op)) {
                auto right = parse_additive();
                KFRUN_TRY(right);
                return compare(op, *left, *right);
            }
        }
        return left;
    }

    base::Result<Value> parse_additive() {
        auto left = parse_unary();
        KFRUN_TRY(left);
        while (peek().kind == TokenKind::Operator &&
               (peek().text == "+" || peek().text == "-" || peek().text == "*" ||
                peek().text == "/" || peek().text == "%")) {
            std::string op = m_tokens[m_pos++].text;
            auto right = parse_unary();
            KFRUN_TRY(right);
            if (op == "+" && std::holds_alternative<std::string>(*left) &&
                std::holds_alternative<std::string>(*right)) {
                left = Value(std::get<std::string>(*left) + std::get<std::string>(*right));
                continue;
            }
            const double* a = std::get_if<double>(&left.value());
            const double* b = std::get_if<double>(&right.value());
            if (m_check_only) {
                left = Value(0.0);
                continue;
            }
            if (a == nullptr || b == nullptr) {
                return when_error("Value '" + describe(a == nullptr ? *left : *right) +
                                  "' cannot be used with the modifier '" + op +
                                  "', it is not a number");
            }
            double x = *a;
            double y = *b;
            double r = op == "+" ? x + y : op == "-" ? x - y : op == "*" ? x * y
                                           : op == "/" ? x / y : std::fmod(x, y);
            left = Value(r);
        }
        return left;
    }

    // ( ! and - nest by recursion: limited, so no expression can exhaust the stack.
    base::Result<void> enter() {
        if (++m_depth > k_max_nesting) {
            return when_error("( ! and - are nested more than " + std::to_string(k_max_nesting) +
                              " levels deep");
        }
        return {};
    }

    base::Result<Value> parse_unary() {
        if (accept("!")) {
            KFRUN_TRY(enter());
            auto operand = parse_unary();
            KFRUN_TRY(operand);
            --m_depth;
            auto b = as_bool(*operand, "!");
            KFRUN_TRY(b);
            return Value(!*b);
        }
        if (accept("-")) {
            KFRUN_TRY(enter());
            auto operand = parse_unary();
            KFRUN_TRY(operand);
            --m_depth;
            const double* number = std::get_if<double>(&operand.value());
            if (m_check_only) {
                return Value(0.0);
            }
            if (number == nullptr) {
                return when_error("Value '" + describe(*operand) +
                                  "' cannot be used with the prefix '-', it is not a number");
            }
            return Value(-*number);
        }
        return parse_primary();
    }

    base::Result<Value> parse_primary() {
        const Token& token = peek();
        switch (token.kind) {
            case TokenKind::Number:
                ++m_pos;
                return Value(token.number);
            case TokenKind::String:
                ++m_pos;
                return Value(token.text);
            case TokenKind::Bool:
                ++m_pos;
                return Value(token.boolean);
            case TokenKind::LeftParen: {
                ++m_pos;
                KFRUN_TRY(enter());
                auto inner = parse_or();
                KFRUN_TRY(inner);
                --m_depth;
                if (peek().kind != TokenKind::RightParen) {
                    return when_error("missing `)`");
                }
                ++m_pos;
                return inner;
            }
            case TokenKind::End:
                return when_error("unexpected end of expression");
            default:
                return when_error("unexpected `" + token.text + "`");
        }
    }

    base::Result<bool> as_bool(const Value& value, const std::string& op) const {
        if (m_check_only) {
            return true;
        }
        if (const bool* b = std::get_if<bool>(&value)) {
            return *b;
        }
        return when_error("Value '" + describe(value) + "' cannot be used with the logical operator '" +
                          op + "', it is not a bool");
    }

    base::Result<Value> compare(const std::string& op, const Value& left,
                                const Value& right) const {
        if (m_check_only) {
            return Value(true);
        }
        if (op == "==") {
            return Value(left == right);
        }
        if (op == "!=") {
            return Value(left != right);
        }
        if (op == "=~" || op == "!~") {
            const std::string* text = std::get_if<std::string>(&left);
            const std::string* pattern = std::get_if<std::string>(&right);
            if (text == nullptr || pattern == nullptr) {
                return when_error("Value cannot be used with the comparator '" + op +
                                  "', it is not a string");
            }
            // govaluate compiles the pattern with Go's regexp (RE2 syntax) and searches
            // anywhere in the text; RE2 matches in linear time, with no recursion.
            RE2::Options options;
            options.set_log_errors(false);
            RE2 regex(*pattern, options);
            if (!regex.ok()) {
                return when_error("invalid regular expression `" + *pattern +
                                  "`: " + regex.error());
            }
            bool found = RE2::PartialMatch(*text, regex);
            return Value(op == "=~" ? found : !found);
        }
        const double* a = std::get_if<double>(&left);
        const double* b = std::get_if<double>(&right);
        if (a != nullptr && b != nullptr) {
            bool r = op == "<" ? *a < *b : op == ">" ? *a > *b : op == "<=" ? *a <= *b : *a >= *b;
            return Value(r);
        }
        const std::string* s = std::get_if<std::string>(&left);
        const std::string* t = std::get_if<std::string>(&right);
        if (s != nullptr && t != nullptr) {
            bool r = op == "<" ? *s < *t : op == ">" ? *s > *t : op == "<=" ? *s <= *t : *s >= *t;
            return Value(r);
        }
        const Value& culprit = (a == nullptr && s == nullptr) ? left : (a == nullptr ? left : right);
        return when_error("Value '" + describe(culprit) + "' cannot be used with the comparator '" +
                          op + "', it is not a number");
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    bool m_check_only = false;
    int m_depth = 0;
};

}  // namespace

base::Result<bool> evaluate_when(std::string_view expression) {
    auto tokens = tokenize(expression);
    if (!tokens.ok()) {
        return when_error("Invalid 'when' expression '" + std::string(expression) +
                          "': " + tokens.error().message);
    }
    Parser parser(std::move(tokens.value()), false);
    auto value = parser.parse_all();
    if (!value.ok()) {
        return when_error("Failed to evaluate 'when' expresion '" + std::string(expression) +
                          "': " + value.error().message);
    }
    const bool* result = std::get_if<bool>(&value.value());
    if (result == nullptr) {
        return when_error("Expected boolean evaluation for '" + std::string(expression) +
                          "'. Got " + describe(*value));
    }
    return *result;
}

}  // namespace kfrun::engine

namespace kfrun::engine {

base::Result<void> check_when_syntax(std::string_view expression) {
    auto tokens = tokenize(expression);
    if (!tokens.ok()) {
        return when_error("Invalid 'when' expression '" + std::string(expression) +
                          "': " + tokens.error().message);
    }
    Parser parser(std::move(tokens.value()), true);
    auto value = parser.parse_all();
    if (!value.ok()) {
        return when_error("Invalid 'when' expression '" + std::string(expression) +
                          "': " + value.error().message);
    }
    return base::ok();
}

}  // namespace kfrun::engine
