// Executor, part three: a KFP v2 importer runs no container. Its URI (after the importer's
// inputs are substituted) is read from the folder --artifact-map or --allow-host-path gives it
// (importer_source), stored, and becomes the task's one output artifact with the URI, type and
// metadata the backend's importer launcher records (metadata as written: the backend does not
// resolve placeholders in it).
#include "base/json_text.hpp"
#include "base/visible_text.hpp"
#include "engine/executor.hpp"
#include "engine/importer_source.hpp"
#include "engine/kfp_executor_input.hpp"
#include "engine/placeholder.hpp"

namespace kfrun::engine {

void Executor::run_importer(Node& started, const model::Template& tmpl) {
    const NodeIndex index = started.index;
    m_observer.on_node_started(m_state, started);
    Scope scope(&m_globals);
    for (const auto& [name, value] : started.input_parameters) {
        scope.set("inputs.parameters." + name, value);
    }
    auto uri = substitute(tmpl.importer.uri, scope);
    if (!uri.ok()) {
        finish(index, NodePhase::Error, uri.error().message);
        return;
    }
    if (tmpl.outputs.artifacts.size() != 1) {
        finish(index, NodePhase::Error, "an importer makes exactly one output artifact");
        return;
    }
    const model::Artifact& declared = tmpl.outputs.artifacts.front();
    ArtifactRef ref;
    std::string message;
    if (m_options.dry_run) {
        ref = ArtifactRef{ArtifactRef::Kind::File, "dry-run", 0, 1};
    } else {
        auto source = importer_source(*uri, m_options.artifact_map, m_options.allowed_host_paths);
        if (!source.ok()) {
            finish(index, NodePhase::Failed, source.error().message);  // as the backend fails it
            return;
        }
        std::filesystem::path host = source->root;
        if (!source->relative.empty()) {
            host /= source->relative;
        }
        auto stored = m_store.ingest_beneath(source->root, source->relative);
        if (!stored.ok()) {
            finish(index, NodePhase::Failed,
                   "importer URI `" + base::visible_text(uri->substr(0, 256)) +
                       "` could not be read from " + base::visible_text(host.string()) + ": " +
                       base::visible_text(stored.error().to_string()));
            return;
        }
        ref = *stored;
        message = "imported from " + base::visible_text(host.string());
    }
    ArtifactInfo info;
    info.uri = *uri;
    info.schema_title = declared.schema_title;
    info.schema_version = declared.schema_version;
    info.metadata = base::json_text(declared.metadata.is_object() ? declared.metadata
                                                                  : nlohmann::json::object());
    info.id = kfp_artifact_id(info.uri, ref.digest, info.metadata);
    ref.typed = std::move(info);
    Node& node = m_state.node(index);
    node.outputs.artifacts.push_back(NamedArtifact{declared.name, std::move(ref), ""});
    finish(index, NodePhase::Succeeded, std::move(message));
}

}  // namespace kfrun::engine
