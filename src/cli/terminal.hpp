#pragma once
// Terminal: colours when stdout is a terminal and NO_COLOR is unset.
#include <string>
#include <string_view>

namespace kfrun::cli {

class Terminal {
public:
    static Terminal detect(bool force_no_color);

    std::string bold(std::string_view text) const { return wrap("1", text); }
    std::string dim(std::string_view text) const { return wrap("2", text); }
    std::string red(std::string_view text) const { return wrap("31", text); }
    std::string green(std::string_view text) const { return wrap("32", text); }
    std::string yellow(std::string_view text) const { return wrap("33", text); }
    std::string blue(std::string_view text) const { return wrap("34", text); }
    std::string cyan(std::string_view text) const { return wrap("36", text); }
    bool colors() const { return m_colors; }

private:
    std::string wrap(const char* code, std::string_view text) const;
    bool m_colors = false;
};

}  // namespace kfrun::cli
