#pragma once
// Sha256: incremental SHA-256 over OpenSSL's EVP interface, hex output.
#include <memory>
#include <string>
#include <string_view>

namespace kfrun::base {

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    Sha256(Sha256&&) noexcept;
    Sha256& operator=(Sha256&&) noexcept;

    void update(const void* data, std::size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // Lower-case hex digest (64 chars). The object may not be updated afterwards.
    std::string hex_digest();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::string sha256_hex(std::string_view data);

// `size` bytes as lower-case hex.
std::string hex_text(const unsigned char* bytes, std::size_t size);

// HMAC-SHA-256 of `data` under `key`, lower-case hex (64 chars).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace kfrun::base
