#pragma once
// ByteSource: a pull-based stream of bytes (an HTTP body, a file), so large data never sits in memory.
#include <cstddef>

#include "base/result.hpp"

namespace kfrun::engine {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `capacity` bytes into `buffer`. Returns the count; 0 means the end of the stream.
    virtual base::Result<std::size_t> read(char* buffer, std::size_t capacity) = 0;
};

}  // namespace kfrun::engine
