#pragma once
// TempDir: a fresh directory under the system temp dir, removed with everything in it.
#include <atomic>
#include <filesystem>
#include <string>

namespace kfrun::test_support {

class TempDir {
  public:
    explicit TempDir(const std::string& prefix = "kfrun-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    // A new, empty subdirectory with a unique name.
    std::filesystem::path make_subdir(const std::string& prefix);

  private:
    std::filesystem::path m_path;
    std::atomic<int> m_next{0};  // make_subdir is called from several threads
};

}  // namespace kfrun::test_support
