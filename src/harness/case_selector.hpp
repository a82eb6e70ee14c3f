#pragma once
// CaseSelector: `kfrun test -k PATTERN` (repeatable: any pattern may match). A pattern with
// a glob character (* ? [) is matched against the case ID "suite/case" and against the case
// name; any other pattern is a case-insensitive substring of the case ID.
#include <string>
#include <vector>

namespace kfrun::harness {

class CaseSelector {
public:
    CaseSelector() = default;
    explicit CaseSelector(std::vector<std::string> patterns) : m_patterns(std::move(patterns)) {}

    bool selects(const std::string& suite, const std::string& case_name) const;
    bool selects_all() const { return m_patterns.empty(); }

private:
    std::vector<std::string> m_patterns;
};

}  // namespace kfrun::harness
