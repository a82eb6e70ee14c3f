#pragma once
// Error constructors for the store: an errno-based Io error and a malformed-input error.
#include <cerrno>
#include <cstring>
#include <string>

#include "base/error.hpp"

namespace kfrun::store {

// "<operation> failed: <strerror(error_number)>" at `where` (a path or an operation).
inline base::Error io_error(std::string where, std::string_view operation,
                            int error_number = errno) {
    std::string message(operation);
    message += " failed: ";
    message += std::strerror(error_number);
    return base::make_error(base::ErrorKind::Io, std::move(message), std::move(where));
}

inline base::Error store_error(std::string where, std::string message) {
    return base::make_error(base::ErrorKind::Io, std::move(message), std::move(where));
}

inline base::Error input_error(std::string where, std::string message) {
    return base::make_error(base::ErrorKind::Input, std::move(message), std::move(where));
}

}  // namespace kfrun::store
