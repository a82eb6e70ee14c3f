#pragma once
// The run graph laid out by Graphviz (dot, through libgvc) and rendered to an inline SVG:
// steps are rounded boxes coloured by phase (a cached step has a dashed border and says so),
// groups are labelled clusters. A step box links to "#step-<index>" and carries
// id="dag-step-<index>" and class="dag-step phase-<phase>[ cached]".
#include <string>

#include "base/result.hpp"
#include "report/dag_graph.hpp"

namespace kfrun::report {

// The <svg> element (no XML prologue or doctype), ready to embed in HTML. An error when
// Graphviz cannot lay the graph out (e.g. its dot plugin is not installed).
base::Result<std::string> layout_dag_svg(const DagGraph& graph, const RunView& run);

}  // namespace kfrun::report
