#include "cli/terminal.hpp"

#include <unistd.h>

#include <cstdlib>

namespace kfrun::cli {

Terminal Terminal::detect(bool force_no_color) {
    Terminal terminal;
    const char* no_color = std::getenv("NO_COLOR");
    terminal.m_colors = !force_no_color && (no_color == nullptr || *no_color == '\0') &&
                        isatty(STDOUT_FILENO) == 1;
    return terminal;
}

std::string Terminal::wrap(const char* code, std::string_view text) const {
    if (!m_colors) {
        return std::string(text);
    }
    return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

}  // namespace kfrun::cli
