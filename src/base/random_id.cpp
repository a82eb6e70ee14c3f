#include "base/random_id.hpp"

#include <cstdio>
#include <random>

namespace kfrun::base {

namespace {

std::mt19937_64& generator() {
    thread_local std::mt19937_64 engine([] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }());
    return engine;
}

}  // namespace

std::string random_uuid() {
    std::uniform_int_distribution<unsigned> byte(0, 255);
    unsigned char bytes[16];
    for (unsigned char& b : bytes) {
        b = static_cast<unsigned char>(byte(generator()));
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);
    char out[37];
    std::snprintf(out, sizeof out,
                  "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                  bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return out;
}

std::string random_suffix(std::size_t length) {
    static constexpr char k_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::uniform_int_distribution<int> pick(0, 35);
    std::string out;
    for (std::size_t i = 0; i < length; ++i) {
        out += k_alphabet[pick(generator())];
    }
    return out;
}

}  // namespace kfrun::base
