#pragma once
// Helpers for the report tests: fixtures, a store in a temp dir, and small checkers for the
// XML and HTML the module writes (well-formedness, and every tag with its attributes).
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/file_artifact_store.hpp"
#include "support/temp_dir.hpp"

namespace kfrun::report::testing {

std::filesystem::path source_path(const std::string& relative);  // under the source tree
nlohmann::json load_json(const std::filesystem::path& path);
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// The `outputs` of a file in fixtures/conformance/ui-metadata-examples.
nlohmann::json ui_metadata_example(const std::string& name);

// The report of a run of examples/train-evaluate.yaml, kept in tests/unit/report/data/train-evaluate/.
nlohmann::json train_evaluate_report();

// A report with one Pod step per entry of `steps` (each merged over a plain succeeded step),
// all children of a root DAG node, like build_report writes.
nlohmann::json make_report(const std::vector<nlohmann::json>& steps);

class StoreFixture {
  public:
    StoreFixture();
    store::FileArtifactStore& store() { return *m_store; }
    const std::filesystem::path& dir() const { return m_dir.path(); }
    std::filesystem::path run_dir() const { return m_dir.path() / "run"; }
    // Stores `content` and returns a report.json artifact entry for it.
    nlohmann::json file_artifact(const std::string& name, const std::string& content,
                                 const std::string& path = "");
    // Stores a directory (relative path → content) and returns its report entry.
    nlohmann::json directory_artifact(const std::string& name,
                                      const std::map<std::string, std::string>& files,
                                      const std::string& path = "");

  private:
    test_support::TempDir m_dir;
    std::unique_ptr<store::FileArtifactStore> m_store;
    int m_next = 0;
};

// Empty when `xml` is well-formed (elements nest, attributes are quoted, entities and CDATA
// are closed, no forbidden characters); otherwise what is wrong.
std::string xml_problem(const std::string& xml);

struct HtmlTag {
    std::string name;                               // lower case; "/x" for an end tag
    std::map<std::string, std::string> attributes;  // raw values, entities not decoded
};
// Every tag of an HTML document, skipping the contents of <script> and <style> elements and
// comments.
std::vector<HtmlTag> html_tags(const std::string& html);
// The number of times `needle` occurs in `text`.
std::size_t count(const std::string& text, const std::string& needle);

}  // namespace kfrun::report::testing
