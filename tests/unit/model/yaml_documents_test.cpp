// A YAML stream's documents, read without yaml-cpp 0.7's endless loop on a stray `,`.
#include "model/yaml_documents.hpp"

#include <gtest/gtest.h>

#include "base/limits.hpp"

namespace kfrun::model {
namespace {

// yaml-cpp 0.7's LoadAll appended empty documents for ever (8 GB in a minute, found by
// fuzz_argo_workflow): a token no node starts with is never consumed.
TEST(YamlDocuments, AStrayCommaIsAnErrorNotAnEndlessLoop) {
    for (const std::string text : {",\n", ", x\napiVersion: v1\n", "a: 1\n---\n]\n", "}\n"}) {
        auto loaded = load_yaml_documents(text, "p.yaml");
        ASSERT_FALSE(loaded.ok()) << text;
        EXPECT_EQ(loaded.error().kind, base::ErrorKind::Input);
        EXPECT_EQ(loaded.error().message.rfind("invalid YAML: ", 0), 0u) << loaded.error().message;
        EXPECT_EQ(loaded.error().where.rfind("p.yaml:", 0), 0u) << loaded.error().where;
    }
    auto first_line = load_yaml_documents(", x\n", "p.yaml");
    ASSERT_FALSE(first_line.ok());
    EXPECT_EQ(first_line.error().where, "p.yaml:1:1");
    EXPECT_NE(first_line.error().message.find("cannot read on from here"), std::string::npos);
}

TEST(YamlDocuments, DocumentsAreThoseLoadAllReads) {
    for (const std::string text : {"a: 1\n", "a: 1\n---\nb: 2\n", "---\na: 1\n...\n---\nb: 2\n",
                                   "a: 1\n---\n", "", "# only a comment\n", "[1, 2]\n---\n{a: b}\n",
                                   "---\n---\na: 1\n", "\xEF\xBB\xBF...\na\n---\nb\n"}) {
        auto loaded = load_yaml_documents(text, "p.yaml");
        ASSERT_TRUE(loaded.ok()) << text << ": " << loaded.error().to_string();
        const std::vector<YAML::Node> expected = YAML::LoadAll(text);
        ASSERT_EQ(loaded->size(), expected.size()) << text;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            EXPECT_EQ(YAML::Dump((*loaded)[i]), YAML::Dump(expected[i])) << text;
        }
    }
}

TEST(YamlDocuments, ASyntaxErrorNamesItsLineAndColumn) {
    auto loaded = load_yaml_documents("a: 1\nb: [1, 2\n", "p.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().message.rfind("invalid YAML: ", 0), 0u);
    EXPECT_NE(loaded.error().where.find("p.yaml:"), std::string::npos);
}

// yaml-cpp builds every node (a few hundred bytes each) before the tree can be checked: 8 MB
// of `---` lines or of `0,` were millions of nodes. Past yaml-nodes, nothing is built.
TEST(YamlDocuments, TooManyNodesAreRefusedBeforeYamlCppBuildsThem) {
    std::string markers;
    for (int i = 0; i < 1'500'000; ++i) {
        markers += "---\n";
    }
    auto documents = load_yaml_documents(markers, "p.yaml");
    ASSERT_FALSE(documents.ok());
    EXPECT_NE(documents.error().message.find("more than 1000000 nodes"), std::string::npos)
        << documents.error().message;
    EXPECT_NE(documents.error().message.find("yaml-nodes"), std::string::npos);

    std::string zeros = "[";
    for (int i = 0; i < 1'500'000; ++i) {
        zeros += "0,";
    }
    zeros += "0]\n";
    auto one = load_yaml_document(zeros, "p.yaml");
    ASSERT_FALSE(one.ok());
    EXPECT_NE(one.error().message.find("more than 1000000 nodes"), std::string::npos);
    EXPECT_EQ(one.error().where.rfind("p.yaml:1:", 0), 0u) << one.error().where;
}

// Aliases are counted expanded while the text is read: an anchored node's size once, each alias
// adding it whole. fuzz_kfp_ir's 445-byte bomb took 18 s of CPU in `kfrun validate` (40 s under
// ASan) when the tree was walked copy by copy up to the limit.
TEST(YamlDocuments, AnAliasBombIsRefusedAtTheAliasThatCrossesTheLimit) {
    std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level <= 9; ++level) {
        std::string previous = "*a" + std::to_string(level - 1);
        bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
        for (int i = 0; i < 10; ++i) {
            bomb += (i ? ", " : "") + previous;
        }
        bomb += "]\n";
    }
    auto loaded = load_yaml_document(bomb, "p.yaml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("more than 1000000 nodes once its aliases are expanded"),
              std::string::npos)
        << loaded.error().message;
    EXPECT_EQ(loaded.error().where.rfind("p.yaml:6:", 0), 0u) << loaded.error().where;  // a5
}

TEST(YamlDocuments, TheExpandedCountIsExact) {
    base::Limits limits = base::limits();
    limits.yaml_nodes = 11;
    base::ScopedLimits scoped(limits);
    // {a: &l [x, y], b: *l, c: z}: map 1 + a 1 + list 3 + b 1 + alias 3 + c 1 + z 1 = 11.
    EXPECT_TRUE(load_yaml_document("{a: &l [x, y], b: *l, c: z}\n", "p.yaml").ok());
    EXPECT_FALSE(load_yaml_document("{a: &l [x, y], b: *l, c: [z]}\n", "p.yaml").ok());
    limits.yaml_nodes = 1000;
    limits.yaml_bytes = 100;
    base::ScopedLimits bytes(limits);
    const std::string forty(40, 'x');
    EXPECT_TRUE(load_yaml_document("[&s " + forty + ", *s]\n", "p.yaml").ok());
    auto over = load_yaml_document("[&s " + forty + ", *s, *s]\n", "p.yaml");
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.error().message.find("more than 100 bytes of text once its aliases"),
              std::string::npos)
        << over.error().message;
}

// yaml-cpp registers an anchor when its node starts, so an alias inside that node makes a cycle
// that every walk of the tree follows for ever.
TEST(YamlDocuments, AnAliasInsideItsOwnAnchorIsRefused) {
    for (const std::string text : {"&a [*a]\n", "a: &m {b: *m}\n", "- &l [1, [2, *l]]\n"}) {
        auto loaded = load_yaml_document(text, "p.yaml");
        ASSERT_FALSE(loaded.ok()) << text;
        EXPECT_NE(loaded.error().message.find("makes a cycle"), std::string::npos)
            << loaded.error().message;
    }
}

TEST(YamlDocuments, AnchorsAreThoseOfTheirOwnDocument) {
    auto loaded = load_yaml_documents("a: &x [1, 2]\nb: *x\n---\nc: &x 3\nd: *x\n", "p.yaml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ((*loaded)[1]["d"].as<int>(), 3);
}

TEST(YamlDocuments, OneDocumentIsTheFirst) {
    auto first = load_yaml_document("a: 1\n---\nb: 2\n", "p.yaml");
    ASSERT_TRUE(first.ok());
    EXPECT_EQ((*first)["a"].as<int>(), 1);
    auto empty = load_yaml_document("", "p.yaml");
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->IsNull());
    auto stray = load_yaml_document(", x\n", "p.yaml");  // one empty document, no loop
    ASSERT_TRUE(stray.ok());
    EXPECT_TRUE(stray->IsNull());
    auto bad = load_yaml_document("a: [1\n", "p.yaml");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().message.rfind("invalid YAML: ", 0), 0u);
}

}  // namespace
}  // namespace kfrun::model
