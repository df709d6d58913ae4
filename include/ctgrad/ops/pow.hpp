#pragma once
/// @file
/// pow<N>(e): integer power with a compile-time exponent, computed by repeated squaring.
#include "../graph/expr.hpp"

namespace ctgrad {
namespace detail {

template <int N, class T>
constexpr T ipow(const T& x) {
    if constexpr (N < 0) {
        return one_of<T>() / ipow<-N>(x);
    } else if constexpr (N == 0) {
        return one_of<T>();
    } else if constexpr (N == 1) {
        return x;
    } else {
        const T h = ipow<N / 2>(x);
        if constexpr (N % 2 == 0) return h * h;
        else return h * h * x;
    }
}

template <int N>
struct pow_int_op {
    static constexpr const char* label = "pow<N>";
    static constexpr int exponent = N;
    static constexpr bool elementwise = true;
    static constexpr bool lanes = true;  // rules use + - * / only: they run on packs
    template <class A>
    static constexpr auto value(const A& a) { return ipow<N>(a); }
    // d(x^N)/dx = N x^(N-1); exactly 0 for N == 0.
    template <std::size_t, class Y, class A>
    static constexpr Y partial(const Y&, const A& a) {
        if constexpr (N == 0) return zero_of<Y>();
        else return static_cast<Y>(N) * ipow<N - 1>(Y(a));
    }
};

}  // namespace detail

/// Integer power with a compile-time exponent (negative exponents allowed), elementwise.
/// Example: `auto y = ctgrad::pow<2>(x) + 2 * x;`
template <int N, expression E>
constexpr auto pow(E&& e) {
    return detail::make_node<detail::pow_int_op<N>>(detail::none{}, static_cast<E&&>(e));
}

}  // namespace ctgrad
