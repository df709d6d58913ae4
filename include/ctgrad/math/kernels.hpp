#pragma once
/// @file
/// Elementary functions usable in constant expressions: `ctgrad::math::exp(x)` etc. for float,
/// double and long double.
///
/// In constant evaluation each function runs ctgrad's own kernel (`ctgrad::math::cx::f`, also
/// callable directly); at run time it calls the C library's `std::f`, so run-time speed and
/// results are the platform's. The kernels are within 1 ulp (double, float; sqrt correctly
/// rounded) and a few ulp (x87 long double) of the exact result: see docs/math.md.
///
/// Domain errors in constant evaluation are compile errors naming the function, e.g.
/// `constexpr double v = ctgrad::math::log(-1.0);` fails with a diagnostic that mentions
/// `ctgrad::math::detail::log_argument_outside_domain`. Poles give +-inf (log(0) = -inf,
/// pow(0, -1) = inf) and NaN arguments propagate, as at run time.
#include <cmath>
#include <concepts>
#include <type_traits>

#include "detail/cx_kernels.hpp"

namespace ctgrad::math {

#define CTGRAD_MATH_UNARY(f)                                     \
  template <std::floating_point T> constexpr T f(T x) noexcept  \
  {                                                              \
    if (std::is_constant_evaluated()) return cx::f(x);           \
    return std::f(x);                                            \
  }
#define CTGRAD_MATH_BINARY(f)                                          \
  template <std::floating_point T> constexpr T f(T x, T y) noexcept   \
  {                                                                    \
    if (std::is_constant_evaluated()) return cx::f(x, y);              \
    return std::f(x, y);                                               \
  }

/// @fn ctgrad::math::abs(T x)
/// `abs` usable in constant expressions: ctgrad's kernel there, `std::abs` at run time.
/// Example: `static_assert(ctgrad::math::abs(-2.0) == 2.0);`

/// @fn ctgrad::math::exp(T x)
/// `exp` usable in constant expressions: ctgrad's kernel there, `std::exp` at run time.

/// @fn ctgrad::math::log(T x)
/// `log` usable in constant expressions: ctgrad's kernel there, `std::log` at run time.

/// @fn ctgrad::math::log1p(T x)
/// `log1p` usable in constant expressions: ctgrad's kernel there, `std::log1p` at run time.

/// @fn ctgrad::math::expm1(T x)
/// `expm1` usable in constant expressions: ctgrad's kernel there, `std::expm1` at run time.

/// @fn ctgrad::math::sqrt(T x)
/// `sqrt` usable in constant expressions: ctgrad's kernel there, `std::sqrt` at run time.

/// @fn ctgrad::math::cbrt(T x)
/// `cbrt` usable in constant expressions: ctgrad's kernel there, `std::cbrt` at run time.

/// @fn ctgrad::math::sin(T x)
/// `sin` usable in constant expressions: ctgrad's kernel there, `std::sin` at run time.

/// @fn ctgrad::math::cos(T x)
/// `cos` usable in constant expressions: ctgrad's kernel there, `std::cos` at run time.

/// @fn ctgrad::math::tan(T x)
/// `tan` usable in constant expressions: ctgrad's kernel there, `std::tan` at run time.

/// @fn ctgrad::math::asin(T x)
/// `asin` usable in constant expressions: ctgrad's kernel there, `std::asin` at run time.

/// @fn ctgrad::math::acos(T x)
/// `acos` usable in constant expressions: ctgrad's kernel there, `std::acos` at run time.

/// @fn ctgrad::math::atan(T x)
/// `atan` usable in constant expressions: ctgrad's kernel there, `std::atan` at run time.

/// @fn ctgrad::math::sinh(T x)
/// `sinh` usable in constant expressions: ctgrad's kernel there, `std::sinh` at run time.

/// @fn ctgrad::math::cosh(T x)
/// `cosh` usable in constant expressions: ctgrad's kernel there, `std::cosh` at run time.

/// @fn ctgrad::math::tanh(T x)
/// `tanh` usable in constant expressions: ctgrad's kernel there, `std::tanh` at run time.

/// @fn ctgrad::math::erf(T x)
/// `erf` usable in constant expressions: ctgrad's kernel there, `std::erf` at run time.

/// @fn ctgrad::math::erfc(T x)
/// `erfc` usable in constant expressions: ctgrad's kernel there, `std::erfc` at run time.

/// @fn ctgrad::math::atan2(T x, T y)
/// `atan2` usable in constant expressions: ctgrad's kernel there, `std::atan2` at run time.

/// @fn ctgrad::math::hypot(T x, T y)
/// `hypot` usable in constant expressions: ctgrad's kernel there, `std::hypot` at run time.

/// @fn ctgrad::math::pow(T x, T y)
/// `pow` usable in constant expressions: ctgrad's kernel there, `std::pow` at run time.

CTGRAD_MATH_UNARY(abs)
CTGRAD_MATH_UNARY(exp)
CTGRAD_MATH_UNARY(log)
CTGRAD_MATH_UNARY(log1p)
CTGRAD_MATH_UNARY(expm1)
CTGRAD_MATH_UNARY(sqrt)
CTGRAD_MATH_UNARY(cbrt)
CTGRAD_MATH_UNARY(sin)
CTGRAD_MATH_UNARY(cos)
CTGRAD_MATH_UNARY(tan)
CTGRAD_MATH_UNARY(asin)
CTGRAD_MATH_UNARY(acos)
CTGRAD_MATH_UNARY(atan)
CTGRAD_MATH_UNARY(sinh)
CTGRAD_MATH_UNARY(cosh)
CTGRAD_MATH_UNARY(tanh)
CTGRAD_MATH_UNARY(erf)
CTGRAD_MATH_UNARY(erfc)
CTGRAD_MATH_BINARY(atan2)
CTGRAD_MATH_BINARY(hypot)
CTGRAD_MATH_BINARY(pow)

#undef CTGRAD_MATH_UNARY
#undef CTGRAD_MATH_BINARY

}  // namespace ctgrad::math
