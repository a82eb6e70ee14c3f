#pragma once
// A Graphviz context with only the plugins the DAG needs: the dot layout and the core renderers
// (svg). gvContext() would read Graphviz's plugin config and load every plugin, pango's among
// them, which pulls in pango, cairo, harfbuzz, freetype and glib and makes fontconfig read its
// configuration and font caches: 13 ms of a 73 ms cached re-run. Without a text-layout plugin,
// Graphviz sizes labels with its built-in Helvetica/Arial metrics, which is the font the page
// asks the browser for anyway ("Helvetica,Arial,sans-serif"; with pango, labels were measured in
// whatever font fontconfig substituted, DejaVu Sans here).
//
// The plugin libraries are opened from Graphviz's plugin directory (found at build time); if
// that fails, this falls back to gvContext().
#include <graphviz/gvc.h>

namespace kfrun::report {

// Owned by the caller (gvFreeContext). Null only if Graphviz itself fails.
GVC_t* new_graphviz_context();

}  // namespace kfrun::report
