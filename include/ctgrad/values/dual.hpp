#pragma once
/// @file
/// `ctgrad::dual<T>`: a forward-mode number (value and tangent), usable as a scalar everywhere.
#include <type_traits>

#include "../ops/elementary.hpp"
#include "scalar.hpp"

namespace ctgrad {

/// A forward-mode dual number `v + d ε` with ε² = 0: arithmetic on it carries a directional
/// derivative along. Duals nest (`dual<dual<double>>`) and are differentiable scalars, so reverse
/// mode over duals gives forward-over-reverse higher derivatives.
/// @code
/// constexpr ctgrad::dual<double> x{3.0, 1.0};
/// constexpr auto y = x * x;          // y.v == 9, y.d == 6
/// @endcode
template <class T>
struct dual {
    T v{};
    T d{};

    constexpr dual() = default;
    constexpr dual(const T& value, const T& tangent) : v(value), d(tangent) {}
    template <class U>
        requires std::is_convertible_v<U, T>
    constexpr dual(const U& value) : v(static_cast<T>(value)), d() {}

    constexpr dual& operator+=(const dual& b) { v += b.v; d += b.d; return *this; }
    constexpr dual& operator-=(const dual& b) { v -= b.v; d -= b.d; return *this; }
    constexpr dual& operator*=(const dual& b) { return *this = *this * b; }
    constexpr dual& operator/=(const dual& b) { return *this = *this / b; }

    friend constexpr dual operator+(const dual& a, const dual& b) { return {a.v + b.v, a.d + b.d}; }
    friend constexpr dual operator-(const dual& a, const dual& b) { return {a.v - b.v, a.d - b.d}; }
    friend constexpr dual operator*(const dual& a, const dual& b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
    friend constexpr dual operator/(const dual& a, const dual& b) {
        const T q = a.v / b.v;
        return {q, (a.d - q * b.d) / b.v};
    }
    friend constexpr dual operator-(const dual& a) { return {-a.v, -a.d}; }
    friend constexpr dual operator+(const dual& a) { return a; }
    // Comparisons look at values only (branches are taken on the primal).
    friend constexpr bool operator==(const dual& a, const dual& b) { return a.v == b.v; }
    friend constexpr bool operator<(const dual& a, const dual& b) { return a.v < b.v; }
    friend constexpr bool operator>(const dual& a, const dual& b) { return b.v < a.v; }
    friend constexpr bool operator<=(const dual& a, const dual& b) { return !(b.v < a.v) && a.v == a.v && b.v == b.v; }
    friend constexpr bool operator>=(const dual& a, const dual& b) { return b <= a; }
};

template <class T>
struct scalar_traits<dual<T>> {
    static constexpr dual<T> zero() { return dual<T>{scalar_traits<T>::zero(), scalar_traits<T>::zero()}; }
    static constexpr dual<T> one() { return dual<T>{scalar_traits<T>::one(), scalar_traits<T>::zero()}; }
    static constexpr bool differentiable = scalar_traits<T>::differentiable;
};

// Elementary functions of duals, found by ADL: value from the op's value rule, tangent from its
// local derivative (the same rules the reverse pass uses).
#define CTGRAD_DUAL_UNARY(name)                                                    \
    template <class T>                                                            \
    constexpr dual<T> name(const dual<T>& a) {                                    \
        const T y = detail::name##_op::value(a.v);                                \
        return {y, a.d * detail::name##_op::template partial<0>(y, a.v)};         \
    }
CTGRAD_DUAL_UNARY(exp)
CTGRAD_DUAL_UNARY(log)
CTGRAD_DUAL_UNARY(log1p)
CTGRAD_DUAL_UNARY(expm1)
CTGRAD_DUAL_UNARY(sqrt)
CTGRAD_DUAL_UNARY(cbrt)
CTGRAD_DUAL_UNARY(sin)
CTGRAD_DUAL_UNARY(cos)
CTGRAD_DUAL_UNARY(tan)
CTGRAD_DUAL_UNARY(asin)
CTGRAD_DUAL_UNARY(acos)
CTGRAD_DUAL_UNARY(atan)
CTGRAD_DUAL_UNARY(sinh)
CTGRAD_DUAL_UNARY(cosh)
CTGRAD_DUAL_UNARY(tanh)
CTGRAD_DUAL_UNARY(erf)
CTGRAD_DUAL_UNARY(erfc)
CTGRAD_DUAL_UNARY(abs)
#undef CTGRAD_DUAL_UNARY
#define CTGRAD_DUAL_BINARY(name)                                                   \
    template <class T>                                                            \
    constexpr dual<T> name(const dual<T>& a, const dual<T>& b) {                  \
        const T y = detail::name##_op::value(a.v, b.v);                           \
        return {y, a.d * detail::name##_op::template partial<0>(y, a.v, b.v) +    \
                       b.d * detail::name##_op::template partial<1>(y, a.v, b.v)}; \
    }
CTGRAD_DUAL_BINARY(atan2)
CTGRAD_DUAL_BINARY(hypot)
CTGRAD_DUAL_BINARY(min)
CTGRAD_DUAL_BINARY(max)
#undef CTGRAD_DUAL_BINARY

// pow: the exponent's term is skipped when its tangent is 0, so that a constant exponent on a
// negative base never evaluates log of a negative number.
template <class T>
constexpr dual<T> pow(const dual<T>& a, const dual<T>& b) {
    const T y = detail::pow_op::value(a.v, b.v);
    T d = a.d * detail::pow_op::template partial<0>(y, a.v, b.v);
    if (!(b.d == T(0))) d += b.d * detail::pow_op::template partial<1>(y, a.v, b.v);
    return {y, d};
}

}  // namespace ctgrad
