#include "engine/cel_parser.hpp"

#include <algorithm>
#include <limits>
#include <vector>

#include "engine/cel_expression.hpp"
#include "engine/cel_lexer.hpp"
#include "engine/cel_types.hpp"

namespace kfrun::engine::cel {

namespace {

using NodePtr = std::unique_ptr<Node>;

class Parser {
  public:
    Parser(std::string_view text, std::vector<Token> tokens)
        : m_text(text), m_tokens(std::move(tokens)) {}

    base::Result<NodePtr> run() {
        auto root = expr();
        if (!root.ok()) {
            return root.error();
        }
        if (peek().kind != TokenKind::End) {
            return unexpected(peek(), "an operator or the end");
        }
        return root;
    }

  private:
    const Token& peek(std::size_t ahead = 0) const {
        return m_tokens[std::min(m_at + ahead, m_tokens.size() - 1)];
    }
    bool is_punct(std::string_view p, std::size_t ahead = 0) const {
        const Token& t = peek(ahead);
        return t.kind == TokenKind::Punct && t.text == p;
    }
    const Token& take() {
        const Token& t = peek();
        if (m_at + 1 < m_tokens.size()) {
            ++m_at;
        }
        return t;
    }

    base::Error fail(std::size_t offset, const std::string& what) const {
        return base::make_error(base::ErrorKind::Input,
                                "syntax error at " + text_position(m_text, offset) + ": " + what);
    }
    base::Error unexpected(const Token& t, const std::string& expected) const {
        std::string found;
        switch (t.kind) {
            case TokenKind::End:
                found = "the end";
                break;
            case TokenKind::String:
                found = "a string";
                break;
            case TokenKind::Ident:
                found = "'" + t.text + "'";
                break;
            case TokenKind::Punct:
                found = "'" + t.text + "'";
                break;
            default:
                found = "a number";
                break;
        }
        return fail(t.offset, "expected " + expected + ", found " + found);
    }
    base::Result<void> expect(std::string_view p) {
        if (!is_punct(p)) {
            return unexpected(peek(), "'" + std::string(p) + "'");
        }
        take();
        return base::ok();
    }

    // A node over `children`, its depth checked and its static type worked out.
    base::Result<NodePtr> make(NodeKind kind, std::size_t offset, std::vector<NodePtr> children,
                               std::string name = {}) {
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->offset = offset;
        node->name = std::move(name);
        for (const auto& child : children) {
            node->depth = std::max(node->depth, child->depth + 1);
        }
        node->children = std::move(children);
        if (node->depth > k_cel_max_depth) {
            return too_deep(offset);
        }
        return node;
    }
    base::Error too_deep(std::size_t offset) const {
        return base::make_error(base::ErrorKind::Input, "the expression nests deeper than " +
                                                            std::to_string(k_cel_max_depth) +
                                                            " levels (at " +
                                                            text_position(m_text, offset) + ")");
    }
    base::Result<NodePtr> typed(base::Result<NodePtr> node) {
        if (!node.ok()) {
            return node;
        }
        auto type = static_type(**node);
        if (!type.ok()) {
            return base::make_error(base::ErrorKind::Input,
                                    "type error at " + text_position(m_text, (*node)->offset) +
                                        ": " + type.error().message);
        }
        (*node)->type = *type;
        return node;
    }

    base::Result<NodePtr> expr() {
        if (m_nesting >= k_cel_max_depth) {
            return too_deep(peek().offset);
        }
        ++m_nesting;
        auto result = conditional();
        --m_nesting;
        return result;
    }

    base::Result<NodePtr> conditional() {
        auto condition = logical(true);
        if (!condition.ok() || !is_punct("?")) {
            return condition;
        }
        std::size_t offset = take().offset;
        auto then = logical(true);
        if (!then.ok()) {
            return then;
        }
        KFRUN_TRY(expect(":"));
        auto otherwise = expr();
        if (!otherwise.ok()) {
            return otherwise;
        }
        std::vector<NodePtr> parts;
        parts.push_back(std::move(*condition));
        parts.push_back(std::move(*then));
        parts.push_back(std::move(*otherwise));
        return typed(make(NodeKind::Ternary, offset, std::move(parts)));
    }

    // `a || b || c` (or `&&`), built as a balanced tree as cel-go does, so a long chain stays
    // shallow.
    base::Result<NodePtr> logical(bool is_or) {
        std::vector<NodePtr> terms;
        std::vector<std::size_t> offsets;
        std::string_view op = is_or ? "||" : "&&";
        while (true) {
            auto term = is_or ? logical(false) : relation();
            if (!term.ok()) {
                return term;
            }
            terms.push_back(std::move(*term));
            if (!is_punct(op)) {
                break;
            }
            offsets.push_back(take().offset);
        }
        return balance(is_or ? NodeKind::Or : NodeKind::And, terms, offsets, 0, terms.size());
    }
    base::Result<NodePtr> balance(NodeKind kind, std::vector<NodePtr>& terms,
                                  const std::vector<std::size_t>& offsets, std::size_t lo,
                                  std::size_t hi) {
        if (hi - lo == 1) {
            return std::move(terms[lo]);
        }
        std::size_t mid = lo + (hi - lo) / 2;
        auto left = balance(kind, terms, offsets, lo, mid);
        if (!left.ok()) {
            return left;
        }
        auto right = balance(kind, terms, offsets, mid, hi);
        if (!right.ok()) {
            return right;
        }
        std::vector<NodePtr> parts;
        parts.push_back(std::move(*left));
        parts.push_back(std::move(*right));
        return typed(make(kind, offsets[mid - 1], std::move(parts)));
    }

    base::Result<NodePtr> binary(NodePtr left, BinaryOp op, std::size_t offset, NodePtr right) {
        std::vector<NodePtr> parts;
        parts.push_back(std::move(left));
        parts.push_back(std::move(right));
        auto node = make(NodeKind::Binary, offset, std::move(parts));
        if (node.ok()) {
            (*node)->op = op;
        }
        return typed(std::move(node));
    }

    // One precedence level of left-associative binary operators.
    template <class Next>
    base::Result<NodePtr> level(const std::vector<std::pair<std::string_view, BinaryOp>>& ops,
                                Next next) {
        auto left = (this->*next)();
        while (left.ok()) {
            auto found = std::find_if(ops.begin(), ops.end(), [&](const auto& candidate) {
                return is_punct(candidate.first);
            });
            if (found == ops.end()) {
                break;
            }
            std::size_t offset = take().offset;
            auto right = (this->*next)();
            if (!right.ok()) {
                return right;
            }
            left = binary(std::move(*left), found->second, offset, std::move(*right));
        }
        return left;
    }
    base::Result<NodePtr> relation() {
        return level({{"==", BinaryOp::Equal},
                      {"!=", BinaryOp::NotEqual},
                      {"<", BinaryOp::Less},
                      {"<=", BinaryOp::LessEqual},
                      {">", BinaryOp::Greater},
                      {">=", BinaryOp::GreaterEqual},
                      {"in", BinaryOp::In}},
                     &Parser::addition);
    }
    base::Result<NodePtr> addition() {
        return level({{"+", BinaryOp::Add}, {"-", BinaryOp::Sub}}, &Parser::multiplication);
    }
    base::Result<NodePtr> multiplication() {
        return level({{"*", BinaryOp::Mul}, {"/", BinaryOp::Div}, {"%", BinaryOp::Mod}},
                     &Parser::unary);
    }

    base::Result<NodePtr> unary() {
        std::vector<const Token*> prefixes;
        while (is_punct("!") || is_punct("-")) {
            prefixes.push_back(&take());
            if (prefixes.size() > static_cast<std::size_t>(k_cel_max_depth)) {
                return too_deep(prefixes.back()->offset);
            }
        }
        base::Result<NodePtr> operand = NodePtr();
        bool is_number = peek().kind == TokenKind::Int || peek().kind == TokenKind::Double;
        if (!prefixes.empty() && prefixes.back()->text == "-" && is_number && !is_punct(".", 1) &&
            !is_punct("[", 1)) {
            prefixes.pop_back();  // `-5` is one literal, so -9223372036854775808 fits
            operand = number(take(), true);
        } else {
            operand = member();
        }
        for (auto it = prefixes.rbegin(); it != prefixes.rend() && operand.ok(); ++it) {
            std::vector<NodePtr> parts;
            parts.push_back(std::move(*operand));
            bool is_not = (*it)->text == "!";
            operand = typed(
                make(is_not ? NodeKind::Not : NodeKind::Negate, (*it)->offset, std::move(parts)));
        }
        return operand;
    }

    base::Result<NodePtr> number(const Token& t, bool negative) {
        nlohmann::json value;
        constexpr auto k_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (t.kind == TokenKind::Double) {
            value = negative ? -t.number : t.number;
        } else if (t.kind == TokenKind::Uint) {
            value = t.magnitude;
        } else if (t.magnitude <= k_max) {
            auto magnitude = static_cast<std::int64_t>(t.magnitude);
            value = negative ? -magnitude : magnitude;
        } else if (negative && t.magnitude == k_max + 1) {
            value = std::numeric_limits<std::int64_t>::min();
        } else {
            return fail(t.offset, "integer literal out of range");
        }
        return literal(t.offset, std::move(value));
    }
    base::Result<NodePtr> literal(std::size_t offset, nlohmann::json value) {
        auto node = make(NodeKind::Literal, offset, {});
        if (node.ok()) {
            (*node)->literal = std::move(value);
        }
        return typed(std::move(node));
    }

    base::Result<NodePtr> member() {
        auto operand = primary();
        while (operand.ok()) {
            if (is_punct(".")) {
                take();
                if (peek().kind != TokenKind::Ident) {
                    return unexpected(peek(), "a field name");
                }
                const Token& name = take();
                std::vector<NodePtr> parts;
                parts.push_back(std::move(*operand));
                if (is_punct("(")) {
                    take();
                    KFRUN_TRY(arguments(")", parts));
                    operand = call(name, std::move(parts), true);
                } else {
                    operand =
                        typed(make(NodeKind::Select, name.offset, std::move(parts), name.text));
                }
            } else if (is_punct("[")) {
                std::size_t offset = take().offset;
                auto index = expr();
                if (!index.ok()) {
                    return index;
                }
                KFRUN_TRY(expect("]"));
                std::vector<NodePtr> parts;
                parts.push_back(std::move(*operand));
                parts.push_back(std::move(*index));
                operand = typed(make(NodeKind::Index, offset, std::move(parts)));
            } else if (is_punct("{")) {
                return fail(peek().offset, "message construction is not supported");
            } else {
                break;
            }
        }
        return operand;
    }

    // The comma-separated expressions up to `close` (consumed), a trailing comma allowed.
    base::Result<void> arguments(std::string_view close, std::vector<NodePtr>& into) {
        while (!is_punct(close)) {
            auto argument = expr();
            if (!argument.ok()) {
                return argument.error();
            }
            into.push_back(std::move(*argument));
            if (!is_punct(",")) {
                break;
            }
            take();
        }
        return expect(close);
    }

    base::Result<NodePtr> call(const Token& name, std::vector<NodePtr> parts, bool receiver) {
        if (!receiver && name.text == "has") {
            if (parts.size() != 1 || parts[0]->kind != NodeKind::Select) {
                return fail(name.offset, "has() takes one field selection, as in has(a.b)");
            }
            Node& select = *parts[0];
            std::vector<NodePtr> operand;
            operand.push_back(std::move(select.children[0]));
            return typed(make(NodeKind::Has, name.offset, std::move(operand), select.name));
        }
        auto node = make(NodeKind::Call, name.offset, std::move(parts), name.text);
        if (node.ok()) {
            (*node)->receiver = receiver;
        }
        return typed(std::move(node));
    }

    base::Result<NodePtr> primary() {
        const Token& t = peek();
        switch (t.kind) {
            case TokenKind::Int:
            case TokenKind::Uint:
            case TokenKind::Double:
                return number(take(), false);
            case TokenKind::String:
                return literal(t.offset, take().text);
            case TokenKind::Ident:
                return identifier();
            case TokenKind::End:
                return unexpected(t, "an operand");
            case TokenKind::Punct:
                break;
        }
        if (t.text == "." && peek(1).kind == TokenKind::Ident) {
            take();  // `.name`: the root scope, which is the only scope here
            return identifier();
        }
        if (t.text == "(") {
            take();
            auto inner = expr();
            if (!inner.ok()) {
                return inner;
            }
            KFRUN_TRY(expect(")"));
            return inner;
        }
        if (t.text == "[") {
            std::size_t offset = take().offset;
            std::vector<NodePtr> items;
            KFRUN_TRY(arguments("]", items));
            return typed(make(NodeKind::List, offset, std::move(items)));
        }
        if (t.text == "{") {
            return map_literal();
        }
        return unexpected(t, "an operand");
    }

    base::Result<NodePtr> identifier() {
        const Token& t = take();
        if (t.text == "true" || t.text == "false") {
            return literal(t.offset, t.text == "true");
        }
        if (t.text == "null") {
            return literal(t.offset, nullptr);
        }
        if (is_punct("(")) {
            take();
            std::vector<NodePtr> parts;
            KFRUN_TRY(arguments(")", parts));
            return call(t, std::move(parts), false);
        }
        return typed(make(NodeKind::Ident, t.offset, {}, t.text));
    }

    base::Result<NodePtr> map_literal() {
        std::size_t offset = take().offset;
        std::vector<NodePtr> parts;
        while (!is_punct("}")) {
            auto key = expr();
            if (!key.ok()) {
                return key;
            }
            KFRUN_TRY(expect(":"));
            auto value = expr();
            if (!value.ok()) {
                return value;
            }
            parts.push_back(std::move(*key));
            parts.push_back(std::move(*value));
            if (!is_punct(",")) {
                break;
            }
            take();
        }
        KFRUN_TRY(expect("}"));
        return typed(make(NodeKind::Map, offset, std::move(parts)));
    }

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_at = 0;
    int m_nesting = 0;
};

}  // namespace

base::Result<std::unique_ptr<Node>> parse_tree(std::string_view text) {
    auto tokens = tokenize(text);
    if (!tokens.ok()) {
        return tokens.error();
    }
    return Parser(text, std::move(*tokens)).run();
}

}  // namespace kfrun::engine::cel
