#include "model/yaml_documents.hpp"

#include <cstdint>
#include <sstream>

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

// Keeps nothing but a count of nodes (past the limit: TooManyNodes) and where the last empty
// node was (where a stuck parser stands).
class CountingSink : public YAML::EventHandler {
  public:
    explicit CountingSink(std::uint64_t max_nodes) : m_max_nodes(max_nodes) {}

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
        last_null = mark;
        count(mark);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { count(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  const std::string&) override {
        count(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        count(mark);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        count(mark);
    }
    void OnMapEnd() override {}

    YAML::Mark last_null = YAML::Mark::null_mark();

  private:
    void count(const YAML::Mark& mark) {
        if (++m_nodes > m_max_nodes) {
            throw TooManyNodes{mark};
        }
    }

    std::uint64_t m_max_nodes;
    std::uint64_t m_nodes = 0;
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
    const std::size_t most = most_documents(text);
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    CountingSink sink(max_nodes);
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
