#include "engine/cel_value.hpp"

#include <cmath>
#include <limits>
#include <type_traits>

namespace kfrun::engine::cel {

namespace {

using V = Json::value_t;

constexpr double k_two_to_63 = 9223372036854775808.0;
constexpr double k_two_to_64 = 18446744073709551616.0;

bool is_number(const Json& v) {
    return v.is_number();
}

// The size of `value` in budget units (nodes and string bytes), counted no further than `stop`.
std::uint64_t weigh(const Json& value, std::uint64_t stop) {
    std::uint64_t total = 1;
    if (value.is_string()) {
        total += value.get_ref<const std::string&>().size();
    } else if (value.is_array() || value.is_object()) {
        for (auto it = value.begin(); it != value.end() && total <= stop; ++it) {
            if (value.is_object()) {
                total += it.key().size();
            }
            total += weigh(*it, stop - std::min(stop, total));
        }
    }
    return total;
}

template <class A, class B>
int sign_of(A a, B b) {
    return a < b ? -1 : (a > b ? 1 : 0);
}

// <0, 0 or >0 across int, uint and double as cel-go orders them; 2 when a NaN is involved.
int compare_numbers(const Json& a, const Json& b) {
    V ta = a.type();
    V tb = b.type();
    if (ta == V::number_float || tb == V::number_float) {
        if (ta != V::number_float) {
            int flipped = compare_numbers(b, a);
            return flipped == 2 ? 2 : -flipped;
        }
        double d = a.get<double>();
        if (std::isnan(d)) {
            return 2;
        }
        if (tb == V::number_float) {
            double e = b.get<double>();
            return std::isnan(e) ? 2 : sign_of(d, e);
        }
        if (tb == V::number_integer) {
            if (d < -k_two_to_63) {
                return -1;
            }
            return d >= k_two_to_63 ? 1 : sign_of(d, static_cast<double>(b.get<std::int64_t>()));
        }
        if (d < 0) {
            return -1;
        }
        return d >= k_two_to_64 ? 1 : sign_of(d, static_cast<double>(b.get<std::uint64_t>()));
    }
    if (ta == V::number_integer && tb == V::number_integer) {
        return sign_of(a.get<std::int64_t>(), b.get<std::int64_t>());
    }
    if (ta == V::number_unsigned && tb == V::number_unsigned) {
        return sign_of(a.get<std::uint64_t>(), b.get<std::uint64_t>());
    }
    if (ta == V::number_integer) {
        auto i = a.get<std::int64_t>();
        return i < 0 ? -1 : sign_of(static_cast<std::uint64_t>(i), b.get<std::uint64_t>());
    }
    return -compare_numbers(b, a);
}

}  // namespace

base::Result<void> Budget::charge(std::uint64_t units) {
    if (units > m_left) {
        m_left = 0;
        return eval_error("the expression needs more than " + std::to_string(k_units >> 20) +
                          " MiB of work or memory to evaluate");
    }
    m_left -= units;
    return base::ok();
}

base::Error eval_error(std::string message) {
    return base::make_error(base::ErrorKind::Step, std::move(message));
}

std::string_view kind_name(const Json& value) {
    switch (value.type()) {
        case V::null:
            return "null_type";
        case V::boolean:
            return "bool";
        case V::number_integer:
            return "int";
        case V::number_unsigned:
            return "uint";
        case V::number_float:
            return "double";
        case V::string:
            return "string";
        case V::array:
            return "list";
        case V::object:
            return "map";
        default:
            return "unknown";
    }
}

base::Error no_overload(std::string_view function, const Json& a) {
    return eval_error("found no matching overload for '" + std::string(function) +
                      "' applied to '(" + std::string(kind_name(a)) + ")'");
}

base::Error no_overload(std::string_view function, const Json& a, const Json& b) {
    return eval_error("found no matching overload for '" + std::string(function) +
                      "' applied to '(" + std::string(kind_name(a)) + ", " +
                      std::string(kind_name(b)) + ")'");
}

base::Result<Json> take_json(Value&& value, Budget& budget) {
    if (value.is_borrowed()) {
        KFRUN_TRY(budget.charge(weigh(value.get(), budget.left() + 1)));
    }
    return std::move(value).into();
}

base::Result<bool> equal(const Json& a, const Json& b, Budget& budget) {
    KFRUN_TRY(budget.charge(1 + (a.is_string() ? a.get_ref<const std::string&>().size() : 0)));
    if (is_number(a) && is_number(b)) {
        return compare_numbers(a, b) == 0;
    }
    if (a.type() != b.type()) {
        return false;
    }
    if (a.is_array()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
            auto same = equal(a[i], b[i], budget);
            if (!same.ok() || !*same) {
                return same;
            }
        }
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) {
            return false;
        }
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto other = b.find(it.key());
            if (other == b.end()) {
                return false;
            }
            auto same = equal(*it, *other, budget);
            if (!same.ok() || !*same) {
                return same;
            }
        }
        return true;
    }
    return a == b;
}

base::Result<int> compare(const Json& a, const Json& b, BinaryOp op) {
    if (is_number(a) && is_number(b)) {
        int order = compare_numbers(a, b);
        if (order == 2) {
            return eval_error("NaN values cannot be ordered");
        }
        return order;
    }
    if (a.is_string() && b.is_string()) {
        int order = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
        return sign_of(order, 0);
    }
    if (a.is_boolean() && b.is_boolean()) {
        return sign_of(a.get<bool>(), b.get<bool>());
    }
    return no_overload(operator_function(op), a, b);
}

// CEL's int and uint arithmetic: overflow, division and modulus by zero are errors.
template <class T, class Fail>
base::Result<Json> checked_integer(BinaryOp op, T x, T y, Fail fail, const char* overflow_text) {
    T r = 0;
    bool overflow = false;
    switch (op) {
        case BinaryOp::Add:
            overflow = __builtin_add_overflow(x, y, &r);
            break;
        case BinaryOp::Sub:
            overflow = __builtin_sub_overflow(x, y, &r);
            break;
        case BinaryOp::Mul:
            overflow = __builtin_mul_overflow(x, y, &r);
            break;
        case BinaryOp::Div:
        case BinaryOp::Mod:
            if (y == 0) {
                return eval_error(op == BinaryOp::Div ? "division by zero" : "modulus by zero");
            }
            if constexpr (std::is_signed_v<T>) {
                overflow = x == std::numeric_limits<T>::min() && y == -1;
            }
            r = overflow ? 0 : (op == BinaryOp::Div ? x / y : x % y);
            break;
        default:
            return fail();
    }
    if (overflow) {
        return eval_error(overflow_text);
    }
    return Json(r);
}

base::Result<Json> arithmetic(BinaryOp op, const Json& a, const Json& b, Budget& budget) {
    auto fail = [&] { return no_overload(operator_function(op), a, b); };
    if (a.type() != b.type()) {
        return fail();
    }
    if (a.is_number_integer() && !a.is_number_unsigned()) {
        return checked_integer(op, a.get<std::int64_t>(), b.get<std::int64_t>(), fail,
                               "integer overflow");
    }
    if (a.is_number_unsigned()) {
        return checked_integer(op, a.get<std::uint64_t>(), b.get<std::uint64_t>(), fail,
                               "unsigned integer overflow");
    }
    if (a.is_number_float()) {
        double x = a.get<double>();
        double y = b.get<double>();
        switch (op) {
            case BinaryOp::Add:
                return Json(x + y);
            case BinaryOp::Sub:
                return Json(x - y);
            case BinaryOp::Mul:
                return Json(x * y);
            case BinaryOp::Div:
                return Json(x / y);
            default:
                return fail();
        }
    }
    if (op != BinaryOp::Add || !(a.is_string() || a.is_array())) {
        return fail();
    }
    KFRUN_TRY(budget.charge(weigh(a, budget.left() + 1)));
    KFRUN_TRY(budget.charge(weigh(b, budget.left() + 1)));
    if (a.is_string()) {
        return Json(a.get_ref<const std::string&>() + b.get_ref<const std::string&>());
    }
    Json joined = a;
    joined.insert(joined.end(), b.begin(), b.end());
    return joined;
}

}  // namespace kfrun::engine::cel
