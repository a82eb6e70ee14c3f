#pragma once
// Result<T>: a value or an Error (GCC 12 has no std::expected in C++20).
#include <cassert>
#include <utility>
#include <variant>

#include "base/error.hpp"

namespace kfrun::base {

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<0>(m_state);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(m_state);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(m_state));
    }
    const Error& error() const {
        assert(!ok());
        return std::get<1>(m_state);
    }
    Error& error() {
        assert(!ok());
        return std::get<1>(m_state);
    }

    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const {
        assert(m_failed);
        return m_error;
    }
    Error& error() {
        assert(m_failed);
        return m_error;
    }

private:
    Error m_error;
    bool m_failed = false;
};

inline Result<void> ok() { return {}; }

}  // namespace kfrun::base

// Propagate the error of an expression returning Result<...>.
#define KFRUN_TRY(expr)                         \
    do {                                        \
        auto&& kfrun_try_result_ = (expr);      \
        if (!kfrun_try_result_.ok()) {          \
            return kfrun_try_result_.error();   \
        }                                       \
    } while (false)
