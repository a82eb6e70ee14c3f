#include "model/yaml_documents.hpp"

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace kfrun::model {

namespace {

// How many documents `text` can hold: one, plus one for each document marker at the start of
// a line (`---` starts a document, `...` ends one).
std::size_t most_documents(const std::string& text) {
    std::size_t markers = 0;
    std::size_t line = 0;
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

// Keeps only where the last empty node was (where a stuck parser stands).
class EventSink : public YAML::EventHandler {
  public:
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { last_null = mark; }
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

    YAML::Mark last_null = YAML::Mark::null_mark();
};

std::string place(const std::string& file_name, const YAML::Mark& mark) {
    std::string where = file_name;
    if (mark.line >= 0) {
        where += ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }
    return where;
}

}  // namespace

base::Result<std::vector<YAML::Node>> load_yaml_documents(const std::string& text,
                                                          const std::string& file_name) {
    try {
        const std::size_t most = most_documents(text);
        std::istringstream stream(text);
        YAML::Parser parser(stream);
        EventSink sink;
        for (std::size_t documents = 0; parser.HandleNextDocument(sink);) {
            if (++documents > most) {
                return base::make_error(
                    base::ErrorKind::Input,
                    "invalid YAML: the parser cannot read on from here (a `,`, `]` or `}` "
                    "where a value should start?)",
                    place(file_name, sink.last_null));
            }
        }
        return YAML::LoadAll(text);
    } catch (const YAML::Exception& e) {
        return base::make_error(base::ErrorKind::Input, "invalid YAML: " + e.msg,
                                place(file_name, e.mark));
    }
}

}  // namespace kfrun::model
