#pragma once
// StoreTest: a fresh store in a temp directory per test, plus small file helpers.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "engine/artifact.hpp"
#include "store/file_artifact_store.hpp"

namespace kfrun::store::testing {

std::filesystem::path make_temp_dir();
// Removes a tree even where a test made directories read-only.
void remove_tree(const std::filesystem::path& path);
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view content, mode_t mode = 0644);
// `sha256sum` run on the host, as a user would check a blob.
std::string host_sha256sum(const std::filesystem::path& path);
mode_t permissions_of(const std::filesystem::path& path);

class StoreTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Ingests a tar given as bytes; fails the test on error.
    engine::ArtifactRef ingest(std::string tar_bytes);
    // Every path under blobs/ and tmp/ (relative to the store root).
    std::set<std::string> store_contents() const;
    std::filesystem::path store_root() const { return m_dir / "store"; }

    std::filesystem::path m_dir;
    std::unique_ptr<FileArtifactStore> m_store;
};

}  // namespace kfrun::store::testing
