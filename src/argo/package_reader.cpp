#include "argo/package_reader.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "base/limits.hpp"
#include "base/visible_text.hpp"
#include "model/yaml_json.hpp"

namespace kfrun::argo {

namespace {

bool looks_like_archive(const std::string& head) {
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
        static_cast<unsigned char>(head[1]) == 0x8b) {
        return true;  // gzip
    }
    if (head.size() >= 4 && head.compare(0, 4, "PK\x03\x04") == 0) {
        return true;  // zip
    }
    return head.size() >= 262 && head.compare(257, 5, "ustar") == 0;  // plain tar
}

// libarchive's text, or `fallback` where it has none: an error string can be NULL, and so can a
// member's name it cannot convert (a hostile package's bytes).
std::string text_or(const char* text, const char* fallback) {
    return text != nullptr ? text : fallback;
}

std::string member_name(archive_entry* entry) {
    const char* name = archive_entry_pathname(entry);
    return text_or(name != nullptr ? name : archive_entry_pathname_utf8(entry), "");
}

bool is_pipeline_member(const std::string& name) {
    auto ends_with = [&](const char* suffix) {
        std::string s(suffix);
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    return ends_with(".yaml") || ends_with(".yml") || ends_with(".json");
}

}  // namespace

base::Result<PipelineText> read_pipeline_text(const std::filesystem::path& file) {
    const base::Limits& limits = base::limits();
    auto read = model::read_file_at_most(
        file, std::max(limits.yaml_bytes, limits.package_bytes),
        limits.yaml_bytes >= limits.package_bytes ? "yaml-bytes" : "package-bytes");
    if (!read.ok()) {
        return read.error().message == "cannot read the file"
                   ? base::make_error(base::ErrorKind::Input, "cannot open the pipeline file",
                                      file.string())
                   : read.error();
    }
    std::string content = std::move(*read);
    if (!looks_like_archive(content.substr(0, 512))) {
        KFRUN_TRY(model::check_yaml_text_size(content.size(), file.string()));
        return PipelineText{std::move(content), file.string()};
    }

    std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                  archive_read_free);
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_all(reader.get());
    if (archive_read_open_memory(reader.get(), content.data(), content.size()) != ARCHIVE_OK) {
        return base::make_error(base::ErrorKind::Input,
                                "not a readable package: " +
                                    text_or(archive_error_string(reader.get()), "unknown format"),
                                file.string());
    }
    archive_entry* entry = nullptr;
    // A warning (a member name libarchive cannot convert, say) skips that member, not the rest.
    for (int status = archive_read_next_header(reader.get(), &entry);
         status == ARCHIVE_OK || status == ARCHIVE_WARN;
         status = archive_read_next_header(reader.get(), &entry)) {
        const std::string member = member_name(entry);
        if (archive_entry_filetype(entry) != AE_IFREG || !is_pipeline_member(member)) {
            continue;
        }
        // The package's bytes: shown safely (it ends up in messages and on the terminal).
        const std::string name = base::visible_text(member.substr(0, 256));
        std::string text;
        char chunk[65536];
        la_ssize_t n = 0;
        while ((n = archive_read_data(reader.get(), chunk, sizeof chunk)) > 0) {
            text.append(chunk, static_cast<std::size_t>(n));
            if (text.size() > limits.package_bytes) {
                return base::make_error(base::ErrorKind::Input,
                                        name + " decompresses to more than allowed " +
                                            base::limit_hint("package-bytes"),
                                        file.string());
            }
        }
        if (n < 0) {
            return base::make_error(
                base::ErrorKind::Input,
                "cannot read " + name + ": " +
                    text_or(archive_error_string(reader.get()), "libarchive error"),
                file.string());
        }
        return PipelineText{std::move(text), file.string() + "!" + name};
    }
    return base::make_error(base::ErrorKind::Input,
                            "the package holds no pipeline YAML (*.yaml, *.yml or *.json)",
                            file.string());
}

}  // namespace kfrun::argo
