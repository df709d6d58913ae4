#pragma once
/// @file
/// The elementary functions: for each, its value rule and its local derivative side by side.
///
/// Values come from ctgrad::math (the C library at run time, ctgrad's constexpr kernels in
/// constant evaluation) for float, double and long double, and from the functions found by ADL
/// for other scalar types (ctgrad::dual, user types). Conventions at kinks and edges:
/// abs'(0) = relu'(0) = 0; min/max ties give half the gradient to each side; for pow(x, p),
/// d/dx is 0 where p == 0 and d/dp is 0 where x == 0 and p >= 0. NaN inputs give NaN derivatives.
#include <concepts>
#include <limits>
#include <numbers>

#include "../diagnostics.hpp"
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"
#include "../math/kernels.hpp"
#include "arithmetic.hpp"

namespace ctgrad {
namespace detail {

// Scalar-level functions: ctgrad::math for floating point, ADL for other scalar types.
#define CTGRAD_SCALAR_UNARY(f)                                    \
    template <class T>                                            \
    constexpr T f##_of(const T& x) {                              \
        if constexpr (std::floating_point<T>) return math::f(x);  \
        else return f(x);                                         \
    }
#define CTGRAD_SCALAR_BINARY(f)                                              \
    template <class T>                                                       \
    constexpr T f##_of(const T& x, const T& y) {                             \
        if constexpr (std::floating_point<T>) return math::f(x, y);          \
        else return f(x, y);                                                 \
    }
CTGRAD_SCALAR_UNARY(exp)
CTGRAD_SCALAR_UNARY(log)
CTGRAD_SCALAR_UNARY(log1p)
CTGRAD_SCALAR_UNARY(expm1)
CTGRAD_SCALAR_UNARY(sqrt)
CTGRAD_SCALAR_UNARY(cbrt)
CTGRAD_SCALAR_UNARY(sin)
CTGRAD_SCALAR_UNARY(cos)
CTGRAD_SCALAR_UNARY(tan)
CTGRAD_SCALAR_UNARY(asin)
CTGRAD_SCALAR_UNARY(acos)
CTGRAD_SCALAR_UNARY(atan)
CTGRAD_SCALAR_UNARY(sinh)
CTGRAD_SCALAR_UNARY(cosh)
CTGRAD_SCALAR_UNARY(tanh)
CTGRAD_SCALAR_UNARY(erf)
CTGRAD_SCALAR_UNARY(erfc)
CTGRAD_SCALAR_BINARY(atan2)
CTGRAD_SCALAR_BINARY(hypot)
CTGRAD_SCALAR_BINARY(pow)
#undef CTGRAD_SCALAR_UNARY
#undef CTGRAD_SCALAR_BINARY

template <class T>
constexpr T one_v = one_of<T>();
template <class T>
constexpr bool is_nan(const T& x) { return !(x == x); }
// ±inf and finiteness without producing a NaN on the way (a NaN-producing operation is not a
// constant expression): only ±inf and 0 satisfy x + x == x.
template <class T>
constexpr bool is_infinite(const T& x) { return x == x && !(x == T(0)) && x + x == x; }
template <class T>
constexpr bool is_finite(const T& x) { return x == x && !is_infinite(x); }
template <class T>
constexpr T nan_like(const T& x) {
    if constexpr (std::numeric_limits<T>::has_quiet_NaN) return std::numeric_limits<T>::quiet_NaN();
    else return x - x;
}

// sigmoid(x) = 1 / (1 + e^-x), evaluated without overflow on either side.
template <class T>
constexpr T sigmoid_of(const T& x) {
    return x >= T(0) ? one_v<T> / (one_v<T> + exp_of(-x)) : exp_of(x) / (one_v<T> + exp_of(x));
}
// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^-|x|).
template <class T>
constexpr T softplus_of(const T& x) {
    return x > T(0) ? x + log1p_of(exp_of(-x)) : log1p_of(exp_of(x));
}

// A unary elementwise op from a value rule and a derivative rule d(x, y). `lanes`: the rules use
// only + - * / and functions with pack overloads (values/pack_math.hpp), so they run in packs.
#define CTGRAD_UNARY_OP_INFO(name, value_rule, derivative_rule, lanes_rule)      \
    struct name##_op {                                                           \
        static constexpr op_info info{.label = #name, .elementwise = true, .lanes = lanes_rule}; \
        template <class T>                                                       \
        static constexpr T value(const T& x) { return value_rule; }             \
        template <std::size_t, class T>                                          \
        static constexpr T partial([[maybe_unused]] const T& y, [[maybe_unused]] const T& x) { \
            return derivative_rule;                                              \
        }                                                                        \
    };
#define CTGRAD_UNARY_OP(name, value_rule, derivative_rule) \
    CTGRAD_UNARY_OP_INFO(name, value_rule, derivative_rule, false)
#define CTGRAD_UNARY_LANE_OP(name, value_rule, derivative_rule) \
    CTGRAD_UNARY_OP_INFO(name, value_rule, derivative_rule, true)

CTGRAD_UNARY_LANE_OP(exp, exp_of(x), y)
CTGRAD_UNARY_LANE_OP(log, log_of(x), one_v<T> / x)
CTGRAD_UNARY_LANE_OP(log1p, log1p_of(x), one_v<T> / (one_v<T> + x))
CTGRAD_UNARY_LANE_OP(expm1, expm1_of(x), y + one_v<T>)
CTGRAD_UNARY_OP(sqrt, sqrt_of(x), one_v<T> / (y + y))  // +inf at 0
CTGRAD_UNARY_OP(cbrt, cbrt_of(x), one_v<T> / (T(3) * y * y))
CTGRAD_UNARY_LANE_OP(sin, sin_of(x), cos_of(x))
CTGRAD_UNARY_LANE_OP(cos, cos_of(x), -sin_of(x))
CTGRAD_UNARY_OP(tan, tan_of(x), one_v<T> + y * y)
CTGRAD_UNARY_OP(asin, asin_of(x), one_v<T> / sqrt_of(one_v<T> - x * x))
CTGRAD_UNARY_OP(acos, acos_of(x), -one_v<T> / sqrt_of(one_v<T> - x * x))
CTGRAD_UNARY_OP(atan, atan_of(x), one_v<T> / (one_v<T> + x * x))
CTGRAD_UNARY_OP(sinh, sinh_of(x), cosh_of(x))
CTGRAD_UNARY_OP(cosh, cosh_of(x), sinh_of(x))
CTGRAD_UNARY_LANE_OP(tanh, tanh_of(x), one_v<T> - y * y)
CTGRAD_UNARY_LANE_OP(erf, erf_of(x), T(std::numbers::inv_sqrtpi_v<long double> * 2) * exp_of(-x * x))
CTGRAD_UNARY_OP(erfc, erfc_of(x), -T(std::numbers::inv_sqrtpi_v<long double> * 2) * exp_of(-x * x))
// sigmoid: derivative y (1 - y); softplus: derivative sigmoid(x).
CTGRAD_UNARY_LANE_OP(sigmoid, sigmoid_of(x), y * (one_v<T> - y))
CTGRAD_UNARY_LANE_OP(softplus, softplus_of(x), sigmoid_of(x))
// relu'(0) = 0; NaN stays NaN.
CTGRAD_UNARY_OP(relu, (x > T(0) ? x : (is_nan(x) ? x : T(0))),
                (x > T(0) ? one_v<T> : (is_nan(x) ? x : T(0))))
// abs'(0) = 0; NaN stays NaN.
CTGRAD_UNARY_OP(abs, (x < T(0) ? -x : (x == T(0) ? T(0) : x)),
                (x > T(0) ? one_v<T> : x < T(0) ? -one_v<T> : x == T(0) ? T(0) : x))
#undef CTGRAD_UNARY_OP
#undef CTGRAD_UNARY_LANE_OP
#undef CTGRAD_UNARY_OP_INFO

struct atan2_op {  // atan2(y, x)
    static constexpr op_info info{.label = "atan2", .elementwise = true};
    template <class T>
    static constexpr T value(const T& a, const T& b) { return atan2_of(a, b); }
    // d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2), computed with the smaller operand over the
    // larger one, so that an infinite operand gives the limit 0 (not inf/inf = NaN) and large
    // operands do not overflow a^2 + b^2. NaN operands give NaN; (0, 0) gives NaN (0/0).
    template <std::size_t I, class T>
    static constexpr T partial(const T&, const T& a, const T& b) {
        const T abs_a = a < T(0) ? -a : a, abs_b = b < T(0) ? -b : b;
        if (abs_a <= abs_b) {  // t = a/b, a^2 + b^2 = b^2 (1 + t^2)
            const T t = a / b;
            const T s = b * (one_v<T> + t * t);
            if constexpr (I == 0) return one_v<T> / s;
            else return -t / s;
        } else {  // t = b/a, a^2 + b^2 = a^2 (1 + t^2); also taken when an operand is NaN
            const T t = b / a;
            const T s = a * (one_v<T> + t * t);
            if constexpr (I == 0) return t / s;
            else return -one_v<T> / s;
        }
    }
};

struct hypot_op {
    static constexpr op_info info{.label = "hypot", .elementwise = true};
    template <class T>
    static constexpr T value(const T& a, const T& b) { return hypot_of(a, b); }
    // d/da = a / hypot; 0 at the origin, like the gradient of a norm. With one infinite operand
    // the result is infinite and the partials are the limits: sign(a) for the infinite one, 0 for
    // the finite one (not inf/inf = NaN). Two infinite operands, or an infinite and a NaN one
    // (hypot(inf, NaN) = inf by IEEE), leave the direction undetermined: NaN.
    template <std::size_t I, class T>
    static constexpr T partial(const T& y, const T& a, const T& b) {
        if (y == T(0)) return T(0);
        const T& u = I == 0 ? a : b;
        const T& v = I == 0 ? b : a;
        if (is_infinite(u)) return is_finite(v) ? (u < T(0) ? -one_v<T> : one_v<T>) : nan_like(u);
        return u / y;
    }
};

// min/max: the gradient goes to the selected side; ties give half to each side.
struct min_op {
    static constexpr op_info info{.label = "min", .elementwise = true};
    template <class T>
    static constexpr T value(const T& a, const T& b) { return b < a ? b : (is_nan(b) ? b : a); }
    template <std::size_t I, class T>
    static constexpr T partial(const T&, const T& a, const T& b) {
        const T& u = I == 0 ? a : b;
        const T& v = I == 0 ? b : a;
        return u < v ? one_v<T> : v < u ? T(0) : u == v ? one_v<T> / T(2) : u + v;
    }
};
struct max_op {
    static constexpr op_info info{.label = "max", .elementwise = true};
    template <class T>
    static constexpr T value(const T& a, const T& b) { return a < b ? b : (is_nan(b) ? b : a); }
    template <std::size_t I, class T>
    static constexpr T partial(const T&, const T& a, const T& b) {
        const T& u = I == 0 ? a : b;
        const T& v = I == 0 ? b : a;
        return v < u ? one_v<T> : u < v ? T(0) : u == v ? one_v<T> / T(2) : u + v;
    }
};

// pow(x, p) with a run-time exponent (an expression or a scalar).
struct pow_op {
    static constexpr op_info info{.label = "pow", .elementwise = true};
    template <class T>
    static constexpr T value(const T& x, const T& p) { return pow_of(x, p); }
    template <std::size_t I, class T>
    static constexpr T partial(const T& y, const T& x, const T& p) {
        if constexpr (I == 0) return p == T(0) ? T(0) : p * pow_of(x, p - one_v<T>);
        else return (x == T(0) && p >= T(0)) ? T(0) : y * log_of(x);
    }
};

}  // namespace detail

// Overload sets (graph/overloads.hpp): Clang learns which operands the result refers to.
#define CTGRAD_UNARY_FUNCTION(name) \
    CTGRAD_DETAIL_UNARY((), name, expression, CTGRAD_DETAIL_NODE1(detail::name##_op))
#define CTGRAD_BINARY_FUNCTION(name) \
    CTGRAD_DETAIL_BINARY(name, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::name##_op))

/// @fn ctgrad::exp(E&& e)
/// Elementwise e^x; a lazy expression. Example: `auto y = ctgrad::exp(x);`

/// @fn ctgrad::log(E&& e)
/// Elementwise natural logarithm; a lazy expression. Example: `auto y = ctgrad::log(x);`

/// @fn ctgrad::log1p(E&& e)
/// Elementwise log(1 + x), accurate near 0; a lazy expression.
/// Example: `auto y = ctgrad::log1p(x);`

/// @fn ctgrad::expm1(E&& e)
/// Elementwise e^x - 1, accurate near 0; a lazy expression. Example: `auto y = ctgrad::expm1(x);`

/// @fn ctgrad::sqrt(E&& e)
/// Elementwise square root (derivative +inf at 0); a lazy expression.
/// Example: `auto y = ctgrad::sqrt(x);`

/// @fn ctgrad::cbrt(E&& e)
/// Elementwise cube root; a lazy expression. Example: `auto y = ctgrad::cbrt(x);`

/// @fn ctgrad::sin(E&& e)
/// Elementwise sine; a lazy expression. Example: `auto y = ctgrad::sin(x);`

/// @fn ctgrad::cos(E&& e)
/// Elementwise cosine; a lazy expression. Example: `auto y = ctgrad::cos(x);`

/// @fn ctgrad::tan(E&& e)
/// Elementwise tangent; a lazy expression. Example: `auto y = ctgrad::tan(x);`

/// @fn ctgrad::asin(E&& e)
/// Elementwise arc sine; a lazy expression. Example: `auto y = ctgrad::asin(x);`

/// @fn ctgrad::acos(E&& e)
/// Elementwise arc cosine; a lazy expression. Example: `auto y = ctgrad::acos(x);`

/// @fn ctgrad::atan(E&& e)
/// Elementwise arc tangent; a lazy expression. Example: `auto y = ctgrad::atan(x);`

/// @fn ctgrad::sinh(E&& e)
/// Elementwise hyperbolic sine; a lazy expression. Example: `auto y = ctgrad::sinh(x);`

/// @fn ctgrad::cosh(E&& e)
/// Elementwise hyperbolic cosine; a lazy expression. Example: `auto y = ctgrad::cosh(x);`

/// @fn ctgrad::tanh(E&& e)
/// Elementwise hyperbolic tangent; a lazy expression. Example: `auto y = ctgrad::tanh(x);`

/// @fn ctgrad::erf(E&& e)
/// Elementwise error function; a lazy expression. Example: `auto y = ctgrad::erf(x);`

/// @fn ctgrad::erfc(E&& e)
/// Elementwise complementary error function 1 - erf(x); a lazy expression.
/// Example: `auto y = ctgrad::erfc(x);`

/// @fn ctgrad::sigmoid(E&& e)
/// Elementwise 1 / (1 + e^-x), without overflow; a lazy expression.
/// Example: `auto y = ctgrad::sigmoid(x);`

/// @fn ctgrad::softplus(E&& e)
/// Elementwise log(1 + e^x), without overflow; its derivative is sigmoid; a lazy expression.
/// Example: `auto y = ctgrad::softplus(x);`

/// @fn ctgrad::relu(E&& e)
/// Elementwise max(x, 0); relu'(0) = 0; a lazy expression. Example: `auto y = ctgrad::relu(x);`

/// @fn ctgrad::abs(E&& e)
/// Elementwise absolute value; abs'(0) = 0; a lazy expression. Example: `auto y = ctgrad::abs(x);`

/// @fn ctgrad::atan2(A&& a, B&& b)
/// Elementwise atan2(y, x), the angle of the point (x, y); a lazy expression.
/// Example: `auto y = ctgrad::atan2(y, x);`

/// @fn ctgrad::hypot(A&& a, B&& b)
/// Elementwise sqrt(a^2 + b^2) without overflow; a lazy expression.
/// Example: `auto y = ctgrad::hypot(a, b);`

/// @fn ctgrad::min(A&& a, B&& b)
/// Elementwise minimum (not a reduction); ties give half the gradient to each side.
/// Example: `auto y = ctgrad::min(a, b);`

/// @fn ctgrad::max(A&& a, B&& b)
/// Elementwise maximum (not a reduction); ties give half the gradient to each side.
/// Example: `auto y = ctgrad::max(a, b);`

/// @fn ctgrad::pow(A&& a, B&& b)
/// Elementwise power with a run-time exponent (expression or scalar); pow<N> for integers.
/// Example: `auto y = ctgrad::pow(x, 2.5);`

/// @name Elementwise functions
/// Lazy, elementwise, found by ADL and as `ctgrad::f`. Example:
/// `auto y = ctgrad::exp(x) * sin(x) + ctgrad::pow(x, 2.5);`
/// @{
CTGRAD_UNARY_FUNCTION(exp)
CTGRAD_UNARY_FUNCTION(log)
CTGRAD_UNARY_FUNCTION(log1p)
CTGRAD_UNARY_FUNCTION(expm1)
CTGRAD_UNARY_FUNCTION(sqrt)
CTGRAD_UNARY_FUNCTION(cbrt)
CTGRAD_UNARY_FUNCTION(sin)
CTGRAD_UNARY_FUNCTION(cos)
CTGRAD_UNARY_FUNCTION(tan)
CTGRAD_UNARY_FUNCTION(asin)
CTGRAD_UNARY_FUNCTION(acos)
CTGRAD_UNARY_FUNCTION(atan)
CTGRAD_UNARY_FUNCTION(sinh)
CTGRAD_UNARY_FUNCTION(cosh)
CTGRAD_UNARY_FUNCTION(tanh)
CTGRAD_UNARY_FUNCTION(erf)
CTGRAD_UNARY_FUNCTION(erfc)
CTGRAD_UNARY_FUNCTION(sigmoid)
CTGRAD_UNARY_FUNCTION(softplus)
CTGRAD_UNARY_FUNCTION(relu)
CTGRAD_UNARY_FUNCTION(abs)
CTGRAD_BINARY_FUNCTION(atan2)
CTGRAD_BINARY_FUNCTION(hypot)
CTGRAD_BINARY_FUNCTION(min)
CTGRAD_BINARY_FUNCTION(max)
CTGRAD_BINARY_FUNCTION(pow)
/// @}
#undef CTGRAD_UNARY_FUNCTION
#undef CTGRAD_BINARY_FUNCTION

/// Apply a user-defined elementwise function `Op` to expressions.
///
/// `Op` states its value rule and its local derivatives on scalars, exactly as ctgrad's own ops:
/// @code
/// struct softsign {
///     static constexpr ctgrad::op_info info{.label = "softsign", .elementwise = true};
///     template <class T> static constexpr T value(const T& x) { return x / (1 + (x < 0 ? -x : x)); }
///     template <std::size_t I, class T> static constexpr T partial(const T&, const T& x) {
///         const T d = 1 + (x < 0 ? -x : x);
///         return 1 / (d * d);
///     }
/// };
/// auto y = ctgrad::apply<softsign>(x);
/// @endcode
template <class Op, class... E>
    requires(sizeof...(E) > 0 && (expression<E> || ...) && (detail::operand<E> && ...))
constexpr auto apply(E&&... e) {
    // one message for a malformed op (check_op's own), then stop: no cascade
    if constexpr (!detail::check_op<Op>()) {
        return detail::none{};
    } else {
        static_assert(detail::elementwise_op<Op>, CTGRAD_MSG_APPLY_NOT_ELEMENTWISE);
        if constexpr (detail::elementwise_op<Op>)
            return detail::make_node<Op>(detail::none{}, static_cast<E&&>(e)...);
        else
            return detail::none{};
    }
}

}  // namespace ctgrad
