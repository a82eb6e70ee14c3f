// Fuzz target: a `kfrun test` file (*.kfrun-test.yaml, src/harness/test_file_loader).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/test_file_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto suite = kfrun::harness::load_test_text(text, "/nonexistent/fuzz.kfrun-test.yaml");
    if (!suite.ok()) {
        (void)suite.error().to_string();
    }
    return 0;
}
