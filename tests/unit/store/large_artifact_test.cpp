// A 200 MiB file streamed through ingest_tar must not grow the process's memory.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdint>

#include "base/sha256.hpp"
#include "byte_sources.hpp"
#include "store_fixture.hpp"
#include "tar_builder.hpp"

namespace kfrun::store::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t k_size = 200ull << 20;
constexpr long k_max_growth_kib = 32 * 1024;

long peak_rss_kib() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Incompressible, reproducible bytes, hashed as they are produced.
class PseudoRandomBytes {
  public:
    void operator()(char* buffer, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            m_state ^= m_state << 13;
            m_state ^= m_state >> 7;
            m_state ^= m_state << 17;
            buffer[i] = static_cast<char>(m_state >> 24);
        }
        m_hash.update(buffer, count);
    }
    std::string digest() { return m_hash.hex_digest(); }

  private:
    std::uint64_t m_state = 0x9e3779b97f4a7c15ull;
    base::Sha256 m_hash;
};

TEST_F(StoreTest, StreamsA200MiBFileWithBoundedMemory) {
    const fs::path tar = m_dir / "big.tar";
    PseudoRandomBytes bytes;
    write_large_tar(tar, "big.bin", k_size, std::ref(bytes));
    const std::string expected = bytes.digest();

    const long before = peak_rss_kib();
    FileByteSource source(tar);
    auto ref = m_store->ingest_tar(source);
    const long after = peak_rss_kib();
    ASSERT_TRUE(ref.ok()) << ref.error().to_string();
    EXPECT_LT(after - before, k_max_growth_kib)
        << "peak RSS grew by " << (after - before) << " KiB while ingesting " << k_size << " bytes";
    EXPECT_EQ(ref->digest, expected);
    EXPECT_EQ(ref->size, k_size);
    fs::remove(tar);

    const fs::path dest = m_dir / "dest" / "big.bin";
    const long before_materialize = peak_rss_kib();
    ASSERT_TRUE(m_store->materialize(*ref, dest).ok());
    EXPECT_LT(peak_rss_kib() - before_materialize, k_max_growth_kib);
    EXPECT_EQ(fs::file_size(dest), k_size);
    EXPECT_EQ(host_sha256sum(dest), expected);
}

}  // namespace
}  // namespace kfrun::store::testing
