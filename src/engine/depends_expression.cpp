#include "engine/depends_expression.hpp"

#include <cctype>
#include <functional>

namespace kfrun::engine {

struct DependsExpression::Expr {
    enum class Kind { Result, Not, And, Or };
    Kind kind = Kind::Result;
    std::string task;
    std::string result;  // Succeeded, Failed, ...; empty = the bare-name default
    bool continue_failed = false;
    bool continue_error = false;
    std::unique_ptr<Expr> left;
    std::unique_ptr<Expr> right;
};

namespace {

using Expr = DependsExpression::Expr;

base::Error depends_error(const std::string& text, const std::string& message) {
    return base::make_error(base::ErrorKind::Input,
                            "invalid depends expression '" + text + "': " + message);
}

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

    base::Result<std::unique_ptr<Expr>> parse_or() {
        auto left = parse_and();
        KFRUN_TRY(left);
        while (accept("||")) {
            auto right = parse_and();
            KFRUN_TRY(right);
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::Or;
            node->left = std::move(left.value());
            node->right = std::move(right.value());
            left = std::move(node);
        }
        return left;
    }

    base::Result<std::unique_ptr<Expr>> parse_and() {
        auto left = parse_unary();
        KFRUN_TRY(left);
        while (accept("&&")) {
            auto right = parse_unary();
            KFRUN_TRY(right);
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::And;
            node->left = std::move(left.value());
            node->right = std::move(right.value());
            left = std::move(node);
        }
        return left;
    }

    base::Result<std::unique_ptr<Expr>> parse_unary() {
        if (accept("!")) {
            auto operand = parse_unary();
            KFRUN_TRY(operand);
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::Not;
            node->left = std::move(operand.value());
            return node;
        }
        if (accept("(")) {
            auto inner = parse_or();
            KFRUN_TRY(inner);
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

    const std::string& m_text;
    std::size_t m_pos = 0;
    std::set<std::string>* m_tasks = nullptr;
};

bool evaluate_node(const Expr& expr, const std::function<TaskResult(const std::string&)>& result_of) {
    switch (expr.kind) {
        case Expr::Kind::Not:
            return !evaluate_node(*expr.left, result_of);
        case Expr::Kind::And:
            return evaluate_node(*expr.left, result_of) && evaluate_node(*expr.right, result_of);
        case Expr::Kind::Or:
            return evaluate_node(*expr.left, result_of) || evaluate_node(*expr.right, result_of);
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
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        auto leaf = std::make_unique<Expr>();
        leaf->task = tasks[i];
        if (i < continue_on.size()) {
            leaf->continue_failed = continue_on[i].first;
            leaf->continue_error = continue_on[i].second;
        }
        out.m_tasks.insert(tasks[i]);
        if (!out.m_root) {
            out.m_root = std::move(leaf);
        } else {
            auto node = std::make_unique<Expr>();
            node->kind = Expr::Kind::And;
            node->left = std::move(out.m_root);
            node->right = std::move(leaf);
            out.m_root = std::move(node);
        }
    }
    return out;
}

bool DependsExpression::evaluate(
    const std::function<TaskResult(const std::string&)>& result_of) const {
    return m_root == nullptr || evaluate_node(*m_root, result_of);
}

}  // namespace kfrun::engine
