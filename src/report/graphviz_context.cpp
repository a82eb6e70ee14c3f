#include "report/graphviz_context.hpp"

#include <dlfcn.h>

#include <array>
#include <mutex>
#include <string>

#ifndef KFRUN_GRAPHVIZ_PLUGIN_DIR
#define KFRUN_GRAPHVIZ_PLUGIN_DIR ""
#endif

namespace kfrun::report {
namespace {

// Graphviz's lt_symlist_t: a plugin library's name and its gvplugin_library_t.
struct Builtins {
    bool loaded = false;
    std::array<lt_symlist_t, 3> symbols{};
};

// The library's `<name>_LTX_library`, or null. The handle is kept for the process's lifetime.
void* plugin_library(const std::string& file, const char* symbol) {
    void* handle =
        ::dlopen((std::string(KFRUN_GRAPHVIZ_PLUGIN_DIR) + "/" + file).c_str(), RTLD_NOW);
    return handle == nullptr ? nullptr : ::dlsym(handle, symbol);
}

const Builtins& builtins() {
    static Builtins found;
    static std::once_flag once;
    std::call_once(once, [] {
        if (std::string(KFRUN_GRAPHVIZ_PLUGIN_DIR).empty()) {
            return;
        }
        void* dot =
            plugin_library("libgvplugin_dot_layout.so.6", "gvplugin_dot_layout_LTX_library");
        void* core = plugin_library("libgvplugin_core.so.6", "gvplugin_core_LTX_library");
        if (dot == nullptr || core == nullptr) {
            return;
        }
        found.symbols[0] = lt_symlist_t{"gvplugin_dot_layout_LTX_library", dot};
        found.symbols[1] = lt_symlist_t{"gvplugin_core_LTX_library", core};
        found.symbols[2] = lt_symlist_t{nullptr, nullptr};
        found.loaded = true;
    });
    return found;
}

}  // namespace

GVC_t* new_graphviz_context() {
    const Builtins& plugins = builtins();
    if (plugins.loaded) {
        if (GVC_t* context = gvContextPlugins(plugins.symbols.data(), /*demand_loading=*/0)) {
            return context;
        }
    }
    return gvContext();
}

}  // namespace kfrun::report
