#include "model/yaml_documents.hpp"

#include <cstdint>
#include <map>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "base/limits.hpp"

namespace kfrun::model {

namespace {

// How many documents `text` can hold: one, plus one for each document marker at the start of
// a line (`---` starts a document, `...` ends one); a byte-order mark may come first.
std::size_t most_documents(const std::string& text) {
    std::size_t markers = 0;
    std::size_t line = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    while (line < text.size()) {
        if (text.compare(line, 3, "---") == 0 || text.compare(line, 3, "...") == 0) {
            ++markers;
        }
        const std::size_t end = text.find('\n', line);
        if (end == std::string::npos) {
            break;
        }
        line = end + 1;
    }
    return markers + 1;
}

struct TooManyNodes {
    YAML::Mark mark;
};

struct TooManyBytes {
    YAML::Mark mark;
};

struct AliasCycle {
    YAML::Mark mark;
};

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

// Keeps nothing but counts, and where the last empty node was (where a stuck parser stands):
// - the nodes of the whole text, each once (yaml-cpp's memory; past the limit: TooManyNodes);
// - the nodes and scalar bytes of each document with its aliases expanded (what every reader
//   of the tree walks): an anchored node's expanded size is kept when it ends, and an alias
//   adds it whole. So `&a [x, x, …]` and ten levels of `[*a, *a, …]` are refused after a few
//   hundred events, not after walking a million copies (fuzz_kfp_ir: 445 bytes took 18 s of
//   CPU in kfrun validate, 40 s under ASan, walking the tree to the limit).
class CountingSink : public YAML::EventHandler {
  public:
    CountingSink(std::uint64_t max_nodes, std::uint64_t max_bytes)
        : m_max_nodes(max_nodes), m_max_bytes(max_bytes) {}

    void OnDocumentStart(const YAML::Mark&) override {
        m_expanded_nodes = 0;
        m_expanded_bytes = 0;
        m_anchors.clear();
        m_open.clear();
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        last_null = mark;
        leaf(mark, anchor, 0);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        count(mark);
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end()) {
            // An alias inside the node its anchor names (`&a [*a]`): yaml-cpp builds a cycle,
            // which expands for ever.
            throw AliasCycle{mark};
        }
        expand(mark, it->second.nodes, it->second.bytes);
    }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  const std::string& value) override {
        leaf(mark, anchor, value.size());
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

    YAML::Mark last_null = YAML::Mark::null_mark();

  private:
    struct Size {
        std::uint64_t nodes = 0;
        std::uint64_t bytes = 0;
    };
    struct Open {
        YAML::anchor_t anchor;
        Size at_start;
    };

    void count(const YAML::Mark& mark) {
        if (++m_nodes > m_max_nodes) {
            throw TooManyNodes{mark};
        }
    }
    void expand(const YAML::Mark& mark, std::uint64_t nodes, std::uint64_t bytes) {
        m_expanded_nodes = saturating_add(m_expanded_nodes, nodes);
        m_expanded_bytes = saturating_add(m_expanded_bytes, bytes);
        if (m_expanded_nodes > m_max_nodes) {
            throw TooManyNodes{mark};
        }
        if (m_expanded_bytes > m_max_bytes) {
            throw TooManyBytes{mark};
        }
    }
    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::uint64_t bytes) {
        count(mark);
        expand(mark, 1, bytes);
        if (anchor != YAML::NullAnchor) {
            m_anchors[anchor] = Size{1, bytes};
        }
    }
    void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
        count(mark);
        m_open.push_back(Open{anchor, Size{m_expanded_nodes, m_expanded_bytes}});
        expand(mark, 1, 0);
    }
    void close() {
        if (m_open.empty()) {
            return;
        }
        const Open done = m_open.back();
        m_open.pop_back();
        if (done.anchor != YAML::NullAnchor) {
            m_anchors[done.anchor] = Size{m_expanded_nodes - done.at_start.nodes,
                                          m_expanded_bytes - done.at_start.bytes};
        }
    }

    std::uint64_t m_max_nodes;
    std::uint64_t m_max_bytes;
    std::uint64_t m_nodes = 0;
    std::uint64_t m_expanded_nodes = 0;
    std::uint64_t m_expanded_bytes = 0;
    std::map<YAML::anchor_t, Size> m_anchors;
    std::vector<Open> m_open;
};

std::string place(const std::string& file_name, const YAML::Mark& mark) {
    std::string where = file_name;
    if (mark.line >= 0) {
        where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    return where;
}

// Reads `text` as yaml-cpp will, keeping nothing: at most `documents` documents (0: all the
// markers allow) and yaml-nodes nodes.
base::Result<void> check_parse(const std::string& text, const std::string& file_name,
                               std::size_t documents) {
    const std::uint64_t max_nodes = base::limits().yaml_nodes;
    const std::uint64_t max_bytes = base::limits().yaml_bytes;
    const std::size_t most = most_documents(text);
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    CountingSink sink(max_nodes, max_bytes);
    try {
        for (std::size_t read = 0; parser.HandleNextDocument(sink);) {
            if (++read > most) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "invalid YAML: the parser cannot read on from here (a `,`, `]` or `}` "
                    "where a value should start?)",
                    place(file_name, sink.last_null));
            }
            if (read == documents) {
                break;
            }
        }
    } catch (const TooManyNodes& too_many) {
        return base::make_error(base::ErrorKind::Input,
                                "the YAML holds more than " + std::to_string(max_nodes) +
                                    " nodes once its aliases are expanded " +
                                    base::limit_hint("yaml-nodes"),
                                place(file_name, too_many.mark));
    } catch (const AliasCycle& cycle) {
        return base::make_error(
            base::ErrorKind::Input,
            "invalid YAML: an alias inside the node its anchor names (`&a [*a]`) "
            "makes a cycle, which expands for ever",
            place(file_name, cycle.mark));
    } catch (const TooManyBytes& too_many) {
        return base::make_error(base::ErrorKind::Input,
                                "the YAML holds more than " + std::to_string(max_bytes) +
                                    " bytes of text once its aliases are expanded " +
                                    base::limit_hint("yaml-bytes"),
                                place(file_name, too_many.mark));
    }
    return base::ok();
}

}  // namespace

base::Result<std::vector<YAML::Node>> load_yaml_documents(const std::string& text,
                                                          const std::string& file_name) {
    try {
        KFRUN_TRY(check_parse(text, file_name, 0));
        return YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
        return base::make_error(base::ErrorKind::Input, "invalid YAML: " + e.msg,
                                place(file_name, e.mark));
    }
}

base::Result<YAML::Node> load_yaml_document(const std::string& text, const std::string& file_name) {
    try {
        KFRUN_TRY(check_parse(text, file_name, 1));
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        return base::make_error(base::ErrorKind::Input, "invalid YAML: " + e.msg,
                                place(file_name, e.mark));
    }
}

}  // namespace kfrun::model
