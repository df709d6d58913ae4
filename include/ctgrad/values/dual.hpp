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
    /// The value (primal).
    T v{};
    /// The tangent (derivative along the seeded direction).
    T d{};

    /// Zero value and tangent.
    constexpr dual() = default;
    /// `value + tangent ε`: seed a tangent of 1 to differentiate along this input.
    constexpr dual(const T& value, const T& tangent) : v(value), d(tangent) {}
    /// A constant: `value` with tangent 0 (implicit, so `2 * d` works).
    template <class U>
        requires std::is_convertible_v<U, T>
    constexpr dual(const U& value) : v(static_cast<T>(value)), d() {}

    /// Compound assignment.
    constexpr dual& operator+=(const dual& b) { v += b.v; d += b.d; return *this; }
    /// Compound assignment.
    constexpr dual& operator-=(const dual& b) { v -= b.v; d -= b.d; return *this; }
    /// Compound assignment (product rule).
    constexpr dual& operator*=(const dual& b) { return *this = *this * b; }
    /// Compound assignment (quotient rule).
    constexpr dual& operator/=(const dual& b) { return *this = *this / b; }

    /// Sum: tangents add.
    friend constexpr dual operator+(const dual& a, const dual& b) { return {a.v + b.v, a.d + b.d}; }
    /// Difference: tangents subtract.
    friend constexpr dual operator-(const dual& a, const dual& b) { return {a.v - b.v, a.d - b.d}; }
    /// Product rule.
    friend constexpr dual operator*(const dual& a, const dual& b) { return {a.v * b.v, a.d * b.v + a.v * b.d}; }
    /// Quotient rule.
    friend constexpr dual operator/(const dual& a, const dual& b) {
        const T q = a.v / b.v;
        return {q, (a.d - q * b.d) / b.v};
    }
    /// Negation.
    friend constexpr dual operator-(const dual& a) { return {-a.v, -a.d}; }
    /// Identity.
    friend constexpr dual operator+(const dual& a) { return a; }
    // Comparisons look at values only (branches are taken on the primal).
    /// Compares values only.
    friend constexpr bool operator==(const dual& a, const dual& b) { return a.v == b.v; }
    /// Compares values only.
    friend constexpr bool operator<(const dual& a, const dual& b) { return a.v < b.v; }
    /// Compares values only.
    friend constexpr bool operator>(const dual& a, const dual& b) { return b.v < a.v; }
    /// Compares values only (false when either is NaN).
    friend constexpr bool operator<=(const dual& a, const dual& b) { return !(b.v < a.v) && a.v == a.v && b.v == b.v; }
    /// Compares values only (false when either is NaN).
    friend constexpr bool operator>=(const dual& a, const dual& b) { return b <= a; }
};

/// dual<T> is a scalar, differentiable when T is: duals nest.
template <class T>
struct scalar_traits<dual<T>> {
    /// Zero value and tangent.
    static constexpr dual<T> zero() { return dual<T>{scalar_traits<T>::zero(), scalar_traits<T>::zero()}; }
    /// Value 1, tangent 0.
    static constexpr dual<T> one() { return dual<T>{scalar_traits<T>::one(), scalar_traits<T>::zero()}; }
    /// As for T.
    static constexpr bool differentiable = scalar_traits<T>::differentiable;
};

// Elementary functions of duals, found by ADL: value from the op's value rule, tangent from its
// local derivative (the same rules the reverse pass uses).
/// @fn ctgrad::exp(const dual<T>& a)
/// `exp` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::log(const dual<T>& a)
/// `log` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::log1p(const dual<T>& a)
/// `log1p` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::expm1(const dual<T>& a)
/// `expm1` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::sqrt(const dual<T>& a)
/// `sqrt` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::cbrt(const dual<T>& a)
/// `cbrt` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::sin(const dual<T>& a)
/// `sin` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::cos(const dual<T>& a)
/// `cos` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::tan(const dual<T>& a)
/// `tan` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::asin(const dual<T>& a)
/// `asin` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::acos(const dual<T>& a)
/// `acos` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::atan(const dual<T>& a)
/// `atan` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::sinh(const dual<T>& a)
/// `sinh` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::cosh(const dual<T>& a)
/// `cosh` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::tanh(const dual<T>& a)
/// `tanh` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::erf(const dual<T>& a)
/// `erf` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::erfc(const dual<T>& a)
/// `erfc` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::abs(const dual<T>& a)
/// `abs` of a dual number: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::atan2(const dual<T>& a, const dual<T>& b)
/// `atan2` of dual numbers: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::hypot(const dual<T>& a, const dual<T>& b)
/// `hypot` of dual numbers: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::min(const dual<T>& a, const dual<T>& b)
/// `min` of dual numbers: value and tangent from the same rules as the reverse pass.

/// @fn ctgrad::max(const dual<T>& a, const dual<T>& b)
/// `max` of dual numbers: value and tangent from the same rules as the reverse pass.

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

/// `pow` of dual numbers. The exponent's term is skipped when its tangent is 0, so that a
/// constant exponent on a negative base never evaluates log of a negative number.
template <class T>
constexpr dual<T> pow(const dual<T>& a, const dual<T>& b) {
    const T y = detail::pow_op::value(a.v, b.v);
    T d = a.d * detail::pow_op::template partial<0>(y, a.v, b.v);
    if (!(b.d == T(0))) d += b.d * detail::pow_op::template partial<1>(y, a.v, b.v);
    return {y, d};
}

}  // namespace ctgrad
