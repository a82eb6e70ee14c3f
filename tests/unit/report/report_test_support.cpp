#include "report_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "support/report_fixture.hpp"

namespace kfrun::report::testing {

std::filesystem::path source_path(const std::string& relative) {
    return std::filesystem::path(KFRUN_SOURCE_DIR) / relative;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
}

nlohmann::json load_json(const std::filesystem::path& path) {
    return nlohmann::json::parse(read_file(path));
}

nlohmann::json ui_metadata_example(const std::string& name) {
    return load_json(source_path("fixtures/conformance/ui-metadata-examples/" + name))["outputs"];
}

nlohmann::json train_evaluate_report() {
    return test_support::load_report_fixture(source_path("tests/unit/report/data/train-evaluate"));
}

nlohmann::json make_report(const std::vector<nlohmann::json>& steps) {
    nlohmann::json report = {
        {"schemaVersion", 1},
        {"kfrunVersion", "0.1.0"},
        {"runId", "run-1234"},
        {"workflowName", "wf-abcde"},
        {"pipeline", {{"name", "demo"}, {"file", "demo.yaml"}}},
        {"status", "Succeeded"},
        {"parameters", {{"rows", "10"}}},
        {"startedAt", "2026-01-01T00:00:00.000Z"},
        {"finishedAt", "2026-01-01T00:00:10.000Z"},
        {"durationMs", 10000},
        {"counts",
         {{"succeeded", 0},
          {"failed", 0},
          {"error", 0},
          {"skipped", 0},
          {"omitted", 0},
          {"cached", 0}}},
        {"cacheSavedMs", 0},
        {"metrics", nlohmann::json::array()},
        {"warnings", nlohmann::json::array()},
    };
    nlohmann::json root = {{"id", "wf-abcde"},
                           {"name", "wf-abcde"},
                           {"displayName", "wf-abcde"},
                           {"type", "DAG"},
                           {"phase", "Succeeded"},
                           {"template", "main"},
                           {"children", nlohmann::json::array()}};
    nlohmann::json nodes = nlohmann::json::array();
    nlohmann::json all_steps = nlohmann::json::array();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::string name = "step-" + std::to_string(i);
        nlohmann::json step = {
            {"id", "wf-abcde-" + std::to_string(100 + i)},
            {"name", name},
            {"label", name},
            {"nodeName", "wf-abcde." + name},
            {"template", "tmpl"},
            {"type", "Pod"},
            {"phase", "Succeeded"},
            {"startedAt", "2026-01-01T00:00:0" + std::to_string(i % 10) + ".000Z"},
            {"finishedAt", "2026-01-01T00:00:0" + std::to_string(i % 10) + ".500Z"},
            {"inputs",
             {{"parameters", nlohmann::json::object()}, {"artifacts", nlohmann::json::array()}}},
            {"outputs",
             {{"parameters", nlohmann::json::object()}, {"artifacts", nlohmann::json::array()}}},
            {"exitCode", 0},
            {"image", "busybox"},
            {"cache", "miss"},
            {"timings",
             {{"pullMs", 10},
              {"createMs", 20},
              {"runMs", 300},
              {"collectMs", 50},
              {"cleanupMs", 5}}},
            {"metrics", nlohmann::json::array()},
            {"uiMetadata", nlohmann::json::array()},
        };
        if (steps[i].is_object()) {
            step.merge_patch(steps[i]);
        }
        std::string phase = step["phase"];
        std::string key = phase == "Succeeded" ? "succeeded"
                          : phase == "Failed"  ? "failed"
                          : phase == "Error"   ? "error"
                          : phase == "Skipped" ? "skipped"
                                               : "omitted";
        report["counts"][key] = report["counts"][key].get<int>() + 1;
        if (step.value("cache", "") == "hit") {
            report["counts"]["cached"] = report["counts"]["cached"].get<int>() + 1;
        }
        root["children"].push_back(step["id"]);
        nodes.push_back({{"id", step["id"]},
                         {"name", step["nodeName"]},
                         {"displayName", step["name"]},
                         {"type", step["type"]},
                         {"phase", step["phase"]},
                         {"template", step["template"]},
                         {"startedAt", step["startedAt"]},
                         {"finishedAt", step["finishedAt"]},
                         {"parent", "wf-abcde"},
                         {"boundary", "wf-abcde"},
                         {"children", nlohmann::json::array()}});
        all_steps.push_back(step);
    }
    nodes.insert(nodes.begin(), root);
    report["steps"] = all_steps;
    report["nodes"] = nodes;
    return report;
}

StoreFixture::StoreFixture() : m_dir("kfrun-report-test") {
    auto opened = store::FileArtifactStore::open(m_dir.path() / "store");
    if (!opened) {
        ADD_FAILURE() << opened.error().to_string();
        std::abort();
    }
    m_store = std::move(*opened);
    std::filesystem::create_directories(run_dir());
}

nlohmann::json StoreFixture::file_artifact(const std::string& name, const std::string& content,
                                           const std::string& path) {
    auto ref = m_store->ingest_bytes(content);
    if (!ref) {
        ADD_FAILURE() << ref.error().to_string();
        return {};
    }
    nlohmann::json entry = {
        {"name", name}, {"sha256", ref->digest}, {"size", ref->size}, {"kind", "file"}};
    if (!path.empty()) {
        entry["path"] = path;
    }
    return entry;
}

nlohmann::json StoreFixture::directory_artifact(const std::string& name,
                                                const std::map<std::string, std::string>& files,
                                                const std::string& path) {
    std::filesystem::path source = m_dir.path() / ("dir-" + std::to_string(m_next++)) / name;
    for (const auto& [relative, content] : files) {
        write_file(source / relative, content);
    }
    auto ref = m_store->ingest_path(source);
    if (!ref) {
        ADD_FAILURE() << ref.error().to_string();
        return {};
    }
    nlohmann::json entry = {{"name", name},
                            {"sha256", ref->digest},
                            {"size", ref->size},
                            {"kind", "directory"},
                            {"files", ref->file_count}};
    if (!path.empty()) {
        entry["path"] = path;
    }
    return entry;
}

namespace {

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == ':' ||
           c == '.' || static_cast<unsigned char>(c) >= 0x80;
}

// Checks the references in text or an attribute value: &name; or &#N; / &#xN;.
std::string check_references(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<') {
            return "'<' in text or attribute";
        }
        if (text[i] != '&') {
            continue;
        }
        std::size_t end = text.find(';', i);
        if (end == std::string::npos) {
            return "unterminated reference";
        }
        std::string name = text.substr(i + 1, end - i - 1);
        static const std::vector<std::string> k_named = {"amp", "lt", "gt", "quot", "apos"};
        bool ok = std::find(k_named.begin(), k_named.end(), name) != k_named.end();
        if (!ok && name.size() > 1 && name[0] == '#') {
            ok = true;
            bool hex = name[1] == 'x';
            for (std::size_t k = hex ? 2 : 1; k < name.size(); ++k) {
                ok = ok && (hex ? std::isxdigit(static_cast<unsigned char>(name[k])) != 0
                                : std::isdigit(static_cast<unsigned char>(name[k])) != 0);
            }
        }
        if (!ok) {
            return "bad reference &" + name + ";";
        }
        i = end;
    }
    return {};
}

}  // namespace

std::string xml_problem(const std::string& xml) {
    for (unsigned char c : xml) {
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            return "a control character";
        }
    }
    std::vector<std::string> open;
    std::size_t i = 0;
    if (xml.rfind("<?xml", 0) == 0) {
        i = xml.find("?>");
        if (i == std::string::npos) {
            return "unterminated declaration";
        }
        i += 2;
    }
    bool seen_root = false;
    while (i < xml.size()) {
        std::size_t lt = xml.find('<', i);
        std::string text = xml.substr(i, lt == std::string::npos ? std::string::npos : lt - i);
        if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos) {
            return "text outside the root element";
        }
        if (std::string problem = check_references(text); !problem.empty()) {
            return problem;
        }
        if (lt == std::string::npos) {
            break;
        }
        if (xml.compare(lt, 9, "<![CDATA[") == 0) {
            std::size_t end = xml.find("]]>", lt + 9);
            if (end == std::string::npos || open.empty()) {
                return "bad CDATA section";
            }
            i = end + 3;
            continue;
        }
        if (xml.compare(lt, 4, "<!--") == 0) {
            std::size_t end = xml.find("-->", lt);
            if (end == std::string::npos) {
                return "unterminated comment";
            }
            i = end + 3;
            continue;
        }
        std::size_t gt = lt + 1;
        char quote = 0;
        while (gt < xml.size() && (quote != 0 || xml[gt] != '>')) {
            if (quote == 0 && (xml[gt] == '"' || xml[gt] == '\'')) {
                quote = xml[gt];
            } else if (quote != 0 && xml[gt] == quote) {
                quote = 0;
            } else if (quote == 0 && xml[gt] == '<') {
                return "'<' inside a tag";
            }
            ++gt;
        }
        if (gt >= xml.size()) {
            return "unterminated tag";
        }
        std::string tag = xml.substr(lt + 1, gt - lt - 1);
        i = gt + 1;
        if (!tag.empty() && tag[0] == '/') {
            std::string name = tag.substr(1);
            while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())) != 0) {
                name.pop_back();
            }
            if (open.empty() || open.back() != name) {
                return "mismatched end tag </" + name + ">";
            }
            open.pop_back();
            continue;
        }
        bool self_closing = !tag.empty() && tag.back() == '/';
        if (self_closing) {
            tag.pop_back();
        }
        std::size_t k = 0;
        while (k < tag.size() && is_name_char(tag[k])) {
            ++k;
        }
        std::string name = tag.substr(0, k);
        if (name.empty()) {
            return "a tag without a name";
        }
        // Attributes: name="value" separated by spaces; values checked for references.
        std::map<std::string, bool> seen;
        while (k < tag.size()) {
            while (k < tag.size() && std::isspace(static_cast<unsigned char>(tag[k])) != 0) {
                ++k;
            }
            if (k >= tag.size()) {
                break;
            }
            std::size_t start = k;
            while (k < tag.size() && is_name_char(tag[k])) {
                ++k;
            }
            std::string attribute = tag.substr(start, k - start);
            if (attribute.empty() || k + 1 >= tag.size() || tag[k] != '=' ||
                (tag[k + 1] != '"' && tag[k + 1] != '\'')) {
                return "bad attribute in <" + name + ">";
            }
            if (seen[attribute]) {
                return "duplicate attribute " + attribute;
            }
            seen[attribute] = true;
            char q = tag[k + 1];
            std::size_t end = tag.find(q, k + 2);
            if (end == std::string::npos) {
                return "unterminated attribute value";
            }
            if (std::string problem = check_references(tag.substr(k + 2, end - k - 2));
                !problem.empty()) {
                return problem;
            }
            k = end + 1;
        }
        if (open.empty() && seen_root) {
            return "a second root element";
        }
        seen_root = true;
        if (!self_closing) {
            open.push_back(name);
        }
    }
    if (!open.empty()) {
        return "unclosed element <" + open.back() + ">";
    }
    return seen_root ? std::string() : "no root element";
}

std::vector<HtmlTag> html_tags(const std::string& html) {
    std::vector<HtmlTag> tags;
    std::size_t i = 0;
    while ((i = html.find('<', i)) != std::string::npos) {
        if (html.compare(i, 4, "<!--") == 0) {
            std::size_t end = html.find("-->", i);
            i = end == std::string::npos ? html.size() : end + 3;
            continue;
        }
        std::size_t gt = i + 1;
        char quote = 0;
        while (gt < html.size() && (quote != 0 || html[gt] != '>')) {
            if (quote == 0 && (html[gt] == '"' || html[gt] == '\'')) {
                quote = html[gt];
            } else if (quote != 0 && html[gt] == quote) {
                quote = 0;
            }
            ++gt;
        }
        std::string body = html.substr(i + 1, gt - i - 1);
        i = gt + 1;
        HtmlTag tag;
        std::size_t k = 0;
        if (!body.empty() && (body[0] == '/' || body[0] == '!')) {
            k = 1;
        }
        while (k < body.size() && std::isspace(static_cast<unsigned char>(body[k])) == 0 &&
               body[k] != '/' && body[k] != '>') {
            ++k;
        }
        tag.name = body.substr(0, k);
        for (char& c : tag.name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        while (k < body.size()) {
            while (k < body.size() &&
                   (std::isspace(static_cast<unsigned char>(body[k])) != 0 || body[k] == '/')) {
                ++k;
            }
            std::size_t start = k;
            while (k < body.size() && body[k] != '=' &&
                   std::isspace(static_cast<unsigned char>(body[k])) == 0) {
                ++k;
            }
            std::string name = body.substr(start, k - start);
            for (char& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            std::string value;
            if (k < body.size() && body[k] == '=') {
                ++k;
                if (k < body.size() && (body[k] == '"' || body[k] == '\'')) {
                    char q = body[k];
                    std::size_t end = body.find(q, k + 1);
                    value = body.substr(k + 1, end - k - 1);
                    k = end == std::string::npos ? body.size() : end + 1;
                } else {
                    std::size_t end = k;
                    while (end < body.size() &&
                           std::isspace(static_cast<unsigned char>(body[end])) == 0) {
                        ++end;
                    }
                    value = body.substr(k, end - k);
                    k = end;
                }
            }
            if (!name.empty()) {
                tag.attributes[name] = value;
            }
        }
        tags.push_back(tag);
        if (tag.name == "script" || tag.name == "style") {
            std::size_t end = html.find("</" + tag.name, i);
            i = end == std::string::npos ? html.size() : end;
        }
    }
    return tags;
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace kfrun::report::testing
