#include "engine/depends_expression.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <vector>

namespace kfrun::engine {

// And/Or hold all the operands of a chain (`a && b && c` is one node), so the tree is only as
// deep as the nesting of ( and !, which the parser limits: evaluating and freeing it cannot
// exhaust the stack, whatever a pipeline writes.
struct DependsExpression::Expr {
    enum class Kind { Result, Not, And, Or };
    Kind kind = Kind::Result;
    std::string task;
    std::string result;  // Succeeded, Failed, ...; empty = the bare-name default
    bool continue_failed = false;
    bool continue_error = false;
    std::vector<std::unique_ptr<Expr>> operands;  // Not: one; And, Or: two or more
};

namespace {

using Expr = DependsExpression::Expr;

base::Error depends_error(const std::string& text, const std::string& message) {
    return base::make_error(base::ErrorKind::Input,
                            "invalid depends expression '" + text + "': " + message);
}

// How deep ( and ! may nest; Argo's own expressions stay within a few levels.
constexpr int k_max_nesting = 100;

const std::set<std::string> k_results = {"Succeeded", "Failed",       "Errored", "Skipped",
                                         "Omitted",   "Daemoned",     "AnySucceeded",
                                         "AllFailed"};

class Parser {
public:
    explicit Parser(const std::string& text) : m_text(text) {}

    base::Result<std::unique_ptr<Expr>> parse(std::set<std::string>& tasks) {
        m_tasks = &tasks;
        auto expr = parse_or();
        KFRUN_TRY(expr);
        skip_space();
        if (m_pos != m_text.size()) {
            return depends_error(m_text, "unexpected `" + m_text.substr(m_pos) + "`");
        }
        return expr;
    }

private:
    void skip_space() {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos]))) {
            ++m_pos;
        }
    }
    bool accept(const char* op) {
        skip_space();
        std::string token(op);
        if (m_text.compare(m_pos, token.size(), token) == 0) {
            m_pos += token.size();
            return true;
        }
        return false;
    }

    // One node for a whole chain of `op` (|| or &&) whose operands `next` parses.
    base::Result<std::unique_ptr<Expr>> parse_chain(
        const char* op, Expr::Kind kind,
        base::Result<std::unique_ptr<Expr>> (Parser::*next)()) {
        auto first = (this->*next)();
        KFRUN_TRY(first);
        if (!accept(op)) {
            return first;
        }
        auto node = std::make_unique<Expr>();
        node->kind = kind;
        node->operands.push_back(std::move(first.value()));
        do {
            auto operand = (this->*next)();
            KFRUN_TRY(operand);
            node->operands.push_back(std::move(operand.value()));
        } while (accept(op));
        return node;
    }

    base::Result<std::unique_ptr<Expr>> parse_or() {
        return parse_chain("||", Expr::Kind::Or, &Parser::parse_and);
    }

    base::Result<std::unique_ptr<Expr>> parse_and() {
        return parse_chain("&&", Expr::Kind::And, &Parser::parse_unary);
    }

    base::Result<std::unique_ptr<Expr>> parse_unary() {
        if (accept("!")) {
            KFRUN_TRY(enter());
            auto operand = parse_unary();
            KFRUN_TRY(operand);
            --m_depth;
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::Not;
            node->operands.push_back(std::move(operand.value()));
            return node;
        }
        if (accept("(")) {
            KFRUN_TRY(enter());
            auto inner = parse_or();
            KFRUN_TRY(inner);
            --m_depth;
            if (!accept(")")) {
                return depends_error(m_text, "missing `)`");
            }
            return inner;
        }
        skip_space();
        std::size_t start = m_pos;
        while (m_pos < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '-' ||
                m_text[m_pos] == '_' || m_text[m_pos] == '.')) {
            ++m_pos;
        }
        if (start == m_pos) {
            return depends_error(m_text, m_pos < m_text.size()
                                             ? "unexpected `" + std::string(1, m_text[m_pos]) + "`"
                                             : "unexpected end");
        }
        std::string word = m_text.substr(start, m_pos - start);
        auto node = std::make_unique<Expr>();
        std::size_t dot = word.rfind('.');
        if (dot != std::string::npos && k_results.count(word.substr(dot + 1)) != 0) {
            node->task = word.substr(0, dot);
            node->result = word.substr(dot + 1);
        } else {
            node->task = word;
        }
        m_tasks->insert(node->task);
        return node;
    }

    base::Result<void> enter() {
        if (++m_depth > k_max_nesting) {
            return depends_error(m_text.substr(0, 200),
                                 "( and ! are nested more than " + std::to_string(k_max_nesting) +
                                     " levels deep");
        }
        return {};
    }

    const std::string& m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
    std::set<std::string>* m_tasks = nullptr;
};

bool evaluate_node(const Expr& expr, const std::function<TaskResult(const std::string&)>& result_of) {
    switch (expr.kind) {
        case Expr::Kind::Not:
            return !evaluate_node(*expr.operands.front(), result_of);
        case Expr::Kind::And:
            return std::all_of(expr.operands.begin(), expr.operands.end(),
                               [&](const auto& operand) { return evaluate_node(*operand, result_of); });
        case Expr::Kind::Or:
            return std::any_of(expr.operands.begin(), expr.operands.end(),
                               [&](const auto& operand) { return evaluate_node(*operand, result_of); });
        case Expr::Kind::Result:
            break;
    }
    TaskResult r = result_of(expr.task);
    const std::string& want = expr.result;
    if (want.empty()) {
        return r.phase == NodePhase::Succeeded || r.phase == NodePhase::Skipped ||
               (expr.continue_failed && r.phase == NodePhase::Failed) ||
               (expr.continue_error && r.phase == NodePhase::Error);
    }
    if (want == "Succeeded") {
        return r.phase == NodePhase::Succeeded;
    }
    if (want == "Failed") {
        return r.phase == NodePhase::Failed;
    }
    if (want == "Errored") {
        return r.phase == NodePhase::Error;
    }
    if (want == "Skipped") {
        return r.phase == NodePhase::Skipped;
    }
    if (want == "Omitted") {
        return r.phase == NodePhase::Omitted;
    }
    if (want == "AnySucceeded") {
        return r.any_succeeded;
    }
    if (want == "AllFailed") {
        return r.all_failed;
    }
    return false;  // Daemoned: kfrun runs no daemon steps
}

}  // namespace

DependsExpression::DependsExpression() = default;
DependsExpression::~DependsExpression() = default;
DependsExpression::DependsExpression(DependsExpression&&) noexcept = default;
DependsExpression& DependsExpression::operator=(DependsExpression&&) noexcept = default;

base::Result<DependsExpression> DependsExpression::parse(const std::string& text) {
    DependsExpression out;
    Parser parser(text);
    auto root = parser.parse(out.m_tasks);
    KFRUN_TRY(root);
    out.m_root = std::move(root.value());
    return out;
}

DependsExpression DependsExpression::from_dependencies(
    const std::vector<std::string>& tasks, const std::vector<std::pair<bool, bool>>& continue_on) {
    DependsExpression out;
    auto all = std::make_unique<Expr>();
    all->kind = Expr::Kind::And;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        auto leaf = std::make_unique<Expr>();
        leaf->task = tasks[i];
        if (i < continue_on.size()) {
            leaf->continue_failed = continue_on[i].first;
            leaf->continue_error = continue_on[i].second;
        }
        out.m_tasks.insert(tasks[i]);
        all->operands.push_back(std::move(leaf));
    }
    if (all->operands.size() == 1) {
        out.m_root = std::move(all->operands.front());
    } else if (!all->operands.empty()) {
        out.m_root = std::move(all);
    }
    return out;
}

bool DependsExpression::evaluate(
    const std::function<TaskResult(const std::string&)>& result_of) const {
    return m_root == nullptr || evaluate_node(*m_root, result_of);
}

}  // namespace kfrun::engine
