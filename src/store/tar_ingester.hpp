#pragma once
// TarIngester: reads a tar stream as Docker's GET /containers/{id}/archive writes it (a single
// top-level file `name`, or a directory `name/` with entries `name/...`) through libarchive,
// streaming each file into a BlobWriter. See README.md, "Tar ingestion", for the rules.
#include "base/result.hpp"
#include "engine/artifact.hpp"
#include "engine/byte_source.hpp"
#include "store/blob_layout.hpp"

namespace kfrun::store {

class TarIngester {
  public:
    explicit TarIngester(const BlobLayout& layout) : m_layout(layout) {}

    // Nothing reaches blobs/ unless the whole stream is accepted; on failure every temp file
    // is removed. Entries that are devices, fifos or sockets are skipped.
    base::Result<engine::ArtifactRef> ingest(engine::ByteSource& source);

  private:
    const BlobLayout& m_layout;
};

}  // namespace kfrun::store
