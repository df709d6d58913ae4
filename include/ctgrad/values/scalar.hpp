#pragma once
/// @file
/// Scalars: which number types ctgrad computes with, and which of them can carry gradients.
#include <concepts>
#include <type_traits>

namespace ctgrad {

/// Customisation point that makes a number type usable as a ctgrad scalar.
///
/// Specialise it with `static constexpr T zero()`, `static constexpr T one()` and
/// `static constexpr bool differentiable` (true when gradients may flow through `T`), and give
/// `T` the operators `+ - * /` and, through ADL, the math functions your expressions use.
/// @code
/// template <> struct ctgrad::scalar_traits<my_interval> {
///     static constexpr my_interval zero() { return {0, 0}; }
///     static constexpr my_interval one() { return {1, 1}; }
///     static constexpr bool differentiable = true;
/// };
/// @endcode
template <class T>
struct scalar_traits {};

/// The traits of the arithmetic types: zero, one, and differentiable when floating-point.
template <class T>
    requires std::is_arithmetic<T>::value  // (not _v: see plain_value)
struct scalar_traits<T> {
    /// `T(0)`.
    static constexpr T zero() noexcept { return T(0); }
    /// `T(1)`.
    static constexpr T one() noexcept { return T(1); }
    /// Gradients flow through float, double and long double only.
    static constexpr bool differentiable = std::is_floating_point_v<T>;
};

/// A type ctgrad can use as a tensor element: arithmetic types and types that specialise
/// `scalar_traits`. Example: `static_assert(ctgrad::scalar<int>);`
template <class T>
concept scalar = requires {
    { scalar_traits<T>::zero() } -> std::convertible_to<T>;
    { scalar_traits<T>::one() } -> std::convertible_to<T>;
    scalar_traits<T>::differentiable;
};

/// A scalar through which gradients may flow (float, double, long double, ctgrad::dual, and
/// user types that opt in). Example: `static_assert(ctgrad::differentiable_scalar<float>);`
template <class T>
concept differentiable_scalar = scalar<T> && scalar_traits<T>::differentiable &&
    requires(T a, T b) {
        { a + b } -> std::convertible_to<T>;
        { a - b } -> std::convertible_to<T>;
        { a * b } -> std::convertible_to<T>;
        { a / b } -> std::convertible_to<T>;
    };

namespace detail {
template <class T>
constexpr T zero_of() { return scalar_traits<T>::zero(); }
template <class T>
constexpr T one_of() { return scalar_traits<T>::one(); }
/// Where a sum of at least one term starts: -0 for floating point, the identity of IEEE addition
/// (x + -0 is x for every x, so the compiler drops the first addition; x + +0 is not: -0 + +0 is
/// +0), else zero.
template <class T>
constexpr T sum_origin() {
    if constexpr (std::is_floating_point_v<T>) return -T(0);
    else return zero_of<T>();
}
}  // namespace detail

}  // namespace ctgrad
