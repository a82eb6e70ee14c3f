// Fuzz target: a pipeline package (.tar.gz, .tgz, .zip or plain YAML) read through libarchive
// (src/argo/package_reader) and loaded as a Workflow, as `kfrun run pkg.tar.gz` does.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "argo/package_reader.hpp"
#include "argo/workflow_loader.hpp"

namespace {

std::filesystem::path scratch_file() {
    static const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                              ("kfrun-fuzz-package-" + std::to_string(::getpid()));
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path file = scratch_file();
    if (FILE* out = std::fopen(file.c_str(), "wb")) {
        std::fwrite(data, 1, size, out);
        std::fclose(out);
    } else {
        return 0;
    }
    auto text = kfrun::argo::read_pipeline_text(file);
    if (text.ok()) {
        (void)kfrun::argo::load_workflow_text(text->text, text->display_name);
    }
    std::remove(file.c_str());
    return 0;
}
