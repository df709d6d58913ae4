#pragma once
/// @file
/// pow<N>(e): integer power with a compile-time exponent, computed by repeated squaring.
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"

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

// "pow<N>": the label of pow_int_op<N>.
template <int N>
struct pow_label_t {
    char text[16]{};
    constexpr pow_label_t() {
        const char head[] = "pow<";
        std::size_t k = 0;
        for (char c : head)
            if (c) text[k++] = c;
        if (N < 0) text[k++] = '-';
        char digits[12]{};
        std::size_t d = 0;
        for (long v = N < 0 ? -static_cast<long>(N) : N; d == 0 || v > 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
        while (d > 0) text[k++] = digits[--d];
        text[k] = '>';
    }
};
template <int N>
inline constexpr pow_label_t<N> pow_label{};

template <int N>
struct pow_int_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = pow_label<N>.text, .elementwise = true, .lanes = true};
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

/// @fn ctgrad::pow(E&& e)
/// Integer power with a compile-time exponent (negative exponents allowed), elementwise.
/// Example: `auto y = ctgrad::pow<2>(x) + 2 * x;`
CTGRAD_DETAIL_UNARY((int N,), pow, expression, CTGRAD_DETAIL_NODE1(detail::pow_int_op<N>))

}  // namespace ctgrad
