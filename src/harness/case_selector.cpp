#include "harness/case_selector.hpp"

#include "base/strings.hpp"

namespace kfrun::harness {

bool CaseSelector::selects(const std::string& suite, const std::string& case_name) const {
    if (m_patterns.empty()) {
        return true;
    }
    const std::string id = suite + "/" + case_name;
    const std::string lower_id = base::to_lower(id);
    for (const std::string& pattern : m_patterns) {
        if (pattern.find_first_of("*?[") != std::string::npos) {
            if (base::glob_match(pattern, id) || base::glob_match(pattern, case_name)) {
                return true;
            }
        } else if (lower_id.find(base::to_lower(pattern)) != std::string::npos) {
            return true;
        }
    }
    return false;
}

}  // namespace kfrun::harness
