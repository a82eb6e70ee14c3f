#include "store/tree_manifest.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <unordered_set>

#include "store/blob_layout.hpp"
#include "store/store_error.hpp"

namespace kfrun::store {

namespace {

constexpr char k_hex_upper[] = "0123456789ABCDEF";

bool needs_escape(unsigned char c) {
    return c == '%' || c <= 0x20 || c == 0x7f;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

base::Error manifest_error(std::size_t line, std::string message) {
    return store_error("tree manifest line " + std::to_string(line), std::move(message));
}

bool valid_path(std::string_view path) {
    if (path.empty()) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        std::size_t slash = path.find('/', start);
        std::string_view part = path.substr(
            start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (part.empty() || part == "." || part == ".." ||
            part.find('\0') != std::string_view::npos) {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        start = slash + 1;
    }
}

std::string_view parent_of(std::string_view path) {
    std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string format_mode(std::uint32_t mode) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04o", static_cast<unsigned>(mode));
    return buffer;
}

// Exactly four octal digits, the first one '0'.
bool parse_mode(std::string_view text, std::uint32_t& mode) {
    if (text.size() != 4 || text[0] != '0') {
        return false;
    }
    mode = 0;
    for (char c : text) {
        if (c < '0' || c > '7') {
            return false;
        }
        mode = mode * 8 + static_cast<std::uint32_t>(c - '0');
    }
    return true;
}

// Decimal without leading zeros.
bool parse_size(std::string_view text, std::uint64_t& size) {
    if (text.empty() || (text.size() > 1 && text[0] == '0')) {
        return false;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    return ec == std::errc() && end == text.data() + text.size();
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (true) {
        std::size_t space = line.find(' ', start);
        if (space == std::string_view::npos) {
            fields.push_back(line.substr(start));
            return fields;
        }
        fields.push_back(line.substr(start, space - start));
        start = space + 1;
    }
}

base::Result<TreeEntry> parse_entry(std::string_view line, std::size_t line_number) {
    std::vector<std::string_view> fields = split_fields(line);
    TreeEntry entry;
    std::size_t expected = 0;
    if (fields[0] == "d") {
        entry.type = TreeEntry::Type::Directory;
        expected = 3;
    } else if (fields[0] == "f") {
        entry.type = TreeEntry::Type::File;
        expected = 5;
    } else if (fields[0] == "l") {
        entry.type = TreeEntry::Type::Symlink;
        expected = 3;
    } else {
        return manifest_error(line_number, "unknown entry type");
    }
    if (fields.size() != expected) {
        return manifest_error(line_number, "wrong number of fields");
    }
    auto path = unescape_manifest_field(fields[1]);
    if (!path) {
        return manifest_error(line_number, path.error().message);
    }
    entry.path = std::move(path).value();
    if (entry.type == TreeEntry::Type::Symlink) {
        auto target = unescape_manifest_field(fields[2]);
        if (!target) {
            return manifest_error(line_number, target.error().message);
        }
        entry.target = std::move(target).value();
        return entry;
    }
    if (!parse_mode(fields[2], entry.mode)) {
        return manifest_error(line_number, "bad mode");
    }
    if (entry.type == TreeEntry::Type::File) {
        if (!parse_size(fields[3], entry.size)) {
            return manifest_error(line_number, "bad size");
        }
        entry.digest = std::string(fields[4]);
    }
    return entry;
}

}  // namespace

std::string escape_manifest_field(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (needs_escape(byte)) {
            out.push_back('%');
            out.push_back(k_hex_upper[byte >> 4]);
            out.push_back(k_hex_upper[byte & 0xf]);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

base::Result<std::string> unescape_manifest_field(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto byte = static_cast<unsigned char>(text[i]);
        if (byte != '%') {
            if (needs_escape(byte)) {
                return store_error({}, "unescaped special byte in field");
            }
            out.push_back(text[i]);
            continue;
        }
        const bool complete = i + 2 < text.size();
        const int high = complete ? hex_value(text[i + 1]) : -1;
        const int low = complete ? hex_value(text[i + 2]) : -1;
        if (high < 0 || low < 0 || !needs_escape(static_cast<unsigned char>(high * 16 + low))) {
            return store_error({}, "malformed or non-canonical escape in field");
        }
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return out;
}

base::Result<TreeManifest> TreeManifest::build(std::vector<TreeEntry> entries) {
    std::sort(entries.begin(), entries.end(),
              [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
    std::unordered_set<std::string_view> directories;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const TreeEntry& entry = entries[i];
        const std::string where = "entry " + escape_manifest_field(entry.path);
        if (!valid_path(entry.path)) {
            return store_error(where, "invalid path");
        }
        if (i > 0 && entries[i - 1].path == entry.path) {
            return store_error(where, "duplicate path");
        }
        std::string_view parent = parent_of(entry.path);
        if (!parent.empty() && directories.count(parent) == 0) {
            return store_error(where, "parent is not a directory entry");
        }
        switch (entry.type) {
            case TreeEntry::Type::Directory:
                directories.insert(entry.path);
                [[fallthrough]];
            case TreeEntry::Type::File:
                if (entry.mode > 0777) {
                    return store_error(where, "mode out of range");
                }
                if (entry.type == TreeEntry::Type::File &&
                    !BlobLayout::is_valid_digest(entry.digest)) {
                    return store_error(where, "invalid digest");
                }
                break;
            case TreeEntry::Type::Symlink:
                if (entry.target.empty() || entry.target.find('\0') != std::string::npos) {
                    return store_error(where, "invalid link target");
                }
                break;
        }
    }
    return TreeManifest(std::move(entries));
}

base::Result<TreeManifest> TreeManifest::parse(std::string_view text) {
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) {
        return manifest_error(1, "missing header");
    }
    std::string_view header = text.substr(0, end);
    const std::string expected = std::string(k_magic) + " " + std::to_string(k_version);
    if (header != expected) {
        if (header.substr(0, k_magic.size() + 1) == std::string(k_magic) + " ") {
            return manifest_error(1, "unsupported tree manifest version: " +
                                         std::string(header.substr(k_magic.size() + 1)));
        }
        return manifest_error(1, "not a kfrun tree manifest");
    }
    std::vector<TreeEntry> entries;
    std::size_t line_number = 1;
    std::size_t start = end + 1;
    while (start < text.size()) {
        ++line_number;
        end = text.find('\n', start);
        if (end == std::string_view::npos) {
            return manifest_error(line_number, "missing final newline");
        }
        auto entry = parse_entry(text.substr(start, end - start), line_number);
        if (!entry) {
            return entry.error();
        }
        if (!entries.empty() && !(entries.back().path < entry->path)) {
            return manifest_error(line_number, "entries not sorted or duplicated");
        }
        entries.push_back(std::move(entry).value());
        start = end + 1;
    }
    auto manifest = build(std::move(entries));
    if (!manifest) {
        manifest.error().where = "tree manifest, " + manifest.error().where;
    }
    return manifest;
}

std::string TreeManifest::serialize() const {
    std::string out = std::string(k_magic) + " " + std::to_string(k_version) + "\n";
    for (const TreeEntry& entry : m_entries) {
        switch (entry.type) {
            case TreeEntry::Type::Directory:
                out += "d " + escape_manifest_field(entry.path) + " " + format_mode(entry.mode);
                break;
            case TreeEntry::Type::File:
                out += "f " + escape_manifest_field(entry.path) + " " + format_mode(entry.mode) +
                       " " + std::to_string(entry.size) + " " + entry.digest;
                break;
            case TreeEntry::Type::Symlink:
                out += "l " + escape_manifest_field(entry.path) + " " +
                       escape_manifest_field(entry.target);
                break;
        }
        out += '\n';
    }
    return out;
}

std::uint64_t TreeManifest::total_file_size() const {
    std::uint64_t total = 0;
    for (const TreeEntry& entry : m_entries) {
        if (entry.type == TreeEntry::Type::File) {
            total += entry.size;
        }
    }
    return total;
}

std::uint64_t TreeManifest::file_count() const {
    return static_cast<std::uint64_t>(
        std::count_if(m_entries.begin(), m_entries.end(),
                      [](const TreeEntry& e) { return e.type == TreeEntry::Type::File; }));
}

}  // namespace kfrun::store
