#pragma once
/// @file
/// Reductions to a scalar: `sum`, `mean` and `norm` (Euclidean). Each op states its value rule
/// and its reverse rule side by side; on plain values (tensors, scalars) the functions are eager.
///
/// Reverse rules, for a result y and its adjoint g:
///   sum:  dx_i += g
///   mean: dx_i += g / N
///   norm: dx_i += g * x_i / ||x||, and nothing where ||x|| == 0 (the gradient of norm at 0 is 0)
#include <cstddef>
#include <type_traits>

#include "../graph/expr.hpp"
#include "elementary.hpp"

namespace ctgrad {
namespace detail {

/// The count n as a value of scalar type T (by conversion when T allows it, else 1 + 1 + ...).
template <class T>
constexpr T count_as(std::size_t n) {
    if constexpr (std::is_arithmetic_v<T> || std::is_constructible_v<T, std::size_t>) {
        return static_cast<T>(n);
    } else {
        T r = zero_of<T>();
        for (std::size_t i = 0; i < n; ++i) r = r + one_of<T>();
        return r;
    }
}

/// Sum of the elements of a value (a scalar is its own sum).
template <class V>
constexpr element_of<V> sum_value(const V& v) {
    using T = element_of<V>;
    if constexpr (is_tensor_v<V>) {
        T r = zero_of<T>();
        for (const auto& x : v.elems) r = r + x;
        return r;
    } else {
        return v;
    }
}

template <class V>
constexpr element_of<V> mean_value(const V& v) {
    using T = element_of<V>;
    return sum_value(v) / count_as<T>(size_of(v));
}

/// Euclidean norm: sqrt of the sum of squares (ctgrad::math::sqrt for floating point, so it is
/// usable in constant evaluation on every supported compiler).
template <class V>
constexpr element_of<V> norm_value(const V& v) {
    using T = element_of<V>;
    T r = zero_of<T>();
    for (std::size_t i = 0; i < size_of(v); ++i) r = r + elem(v, i) * elem(v, i);
    return sqrt_of(r);
}

struct sum_op {
    // Adjoints written by contribute(). An elementwise input is summed element by element,
    // never materialised (eval/fused.hpp).
    static constexpr op_info info{.label = "sum", .fuses_input = true, .assigns_first = true};
    template <class T>
    static constexpr T fused_value(const T& acc, std::size_t) { return acc; }
    template <class G>
    static constexpr G fused_seed(const G& g, std::size_t) { return g; }
    template <class V>
    using result = element_of<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.v = sum_value(a); }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) contribute(in, g);  // g broadcast over every element
    }
};

struct mean_op {
    // as sum
    static constexpr op_info info{.label = "mean", .fuses_input = true, .assigns_first = true};
    template <class T>
    static constexpr T fused_value(const T& acc, std::size_t n) { return acc / count_as<T>(n); }
    template <class G>
    static constexpr G fused_seed(const G& g, std::size_t n) { return g / count_as<G>(n); }
    template <class V>
    using result = element_of<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.v = mean_value(a); }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) {
            contribute(in, g / count_as<G>(size_of(in.value)));
        }
    }
};

struct norm_op {
    static constexpr op_info info{.label = "norm"};
    template <class V>
    using result = element_of<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.v = norm_value(a); }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S& s, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) {
            const G& n = s.get();
            if (n == zero_of<G>()) return;  // subgradient 0 at the origin
            const G scale = g / n;
            for (std::size_t i = 0; i < size_of(in.value); ++i)
                elem(*in.adj, i) += scale * elem(in.value, i);
        }
    }
};

}  // namespace detail

/// Sum of all elements, a scalar expression. Its gradient is g in every element.
/// Example: `auto s = ctgrad::sum(x * x);  // value_t is double`
CTGRAD_DETAIL_UNARY((), sum, expression, CTGRAD_DETAIL_NODE1(detail::sum_op))
/// Eager sum of a plain tensor (or scalar). Example: `ctgrad::sum(tensor{1.0, 2.0}) == 3.0`
template <detail::plain_value V>
constexpr detail::element_of<V> sum(const V& v) {
    return detail::sum_value(v);
}

/// Mean of all elements, a scalar expression. Its gradient is g / N in every element.
/// Example: `auto loss = ctgrad::mean(ctgrad::pow<2>(z - y));`
CTGRAD_DETAIL_UNARY((), mean, expression, CTGRAD_DETAIL_NODE1(detail::mean_op))
/// Eager mean of a plain tensor (or scalar).
template <detail::plain_value V>
constexpr detail::element_of<V> mean(const V& v) {
    return detail::mean_value(v);
}

/// Euclidean norm, a scalar expression. Its gradient is g x / ||x||, and 0 at x = 0.
/// Example: `auto r = ctgrad::norm(x);`
CTGRAD_DETAIL_UNARY((), norm, expression, CTGRAD_DETAIL_NODE1(detail::norm_op))
/// Eager Euclidean norm of a plain tensor (or scalar).
template <detail::plain_value V>
constexpr detail::element_of<V> norm(const V& v) {
    return detail::norm_value(v);
}

}  // namespace ctgrad
