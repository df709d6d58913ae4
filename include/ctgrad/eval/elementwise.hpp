#pragma once
/// @file
/// The elementwise rules shared by every elementwise op: the forward map, the inputs of a
/// backward rule, and the reverse rule `adj(input I) += g * partial<I>(y, inputs...)` summed over
/// broadcast dimensions (first contributions assign).
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../graph/node.hpp"
#include "../op_traits.hpp"

namespace ctgrad::detail {

// Elementwise forward rule as a type shared by every node of the same op (a lambda would be a new
// type, and a new instantiation of map, per node).
template <class Op>
struct op_value {
    template <class... X>
    constexpr auto operator()(const X&... x) const {
        return Op::value(x...);
    }
};

// An input of a backward rule: its value and, when active, its adjoint. `First`: this is the first
// contribution to that adjoint, whose content is undefined until written.
template <bool Active, bool First, class V, class Adj>
constexpr auto make_input(const V& v, Adj* a) {
    if constexpr (Active) return input<V, true, First>{v, a};
    else return input<V, false>{v, none{}};
}

// Ops whose backward writes every input adjoint through contribute() (which assigns the first
// contribution); other ops get their inputs' adjoints zeroed before their first contribution.
template <class Op>
constexpr bool assigns_first() {
    return op_traits<Op>::info.assigns_first;
}

// Before a rule that adds to an adjoint receives its first contribution: make it zero.
template <bool First, class V>
constexpr void prepare(V& adj) {
    if constexpr (First) adj = zeros<V>();
}

// Whether a node's two inputs are one node (see assemble: `t * t` of a handle).
template <std::size_t... Off>
inline constexpr bool same_inputs = false;
template <std::size_t O>
inline constexpr bool same_inputs<O, O> = true;

// The binary elementwise Op applied to one input twice, as a unary op: its partial is the sum of
// Op's two (t * t: t + t), so the adjoint gets one product instead of two products and a sum.
template <class Op>
struct both_operands {
    template <std::size_t, class Y, class X>
    static constexpr auto partial(const Y& y, const X& x) {
        return Op::template partial<0>(y, x, x) + Op::template partial<1>(y, x, x);
    }
};

// Reverse rule shared by every elementwise op: adjoint of input I += g * d(op)/d(input I),
// summed over broadcast dimensions. An input receiving its first contribution is assigned when
// it has the result's shape, and zeroed first when it was broadcast.
template <class Op, class G, class Y, class... In>
constexpr void elementwise_backward(const G& g, const Y& y, const In&... in) {
    using S = shape_of<Y>;
    const auto ins = std::forward_as_tuple(in...);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                const auto& x = std::get<I>(ins);
                using X = std::remove_cvref_t<decltype(x)>;
                if constexpr (X::active) {
                    using Vx = std::remove_cvref_t<decltype(x.value)>;
                    if constexpr (S::rank == 0) {
                        if constexpr (X::first) *x.adj = g * Op::template partial<I>(y, in.value...);
                        else *x.adj += g * Op::template partial<I>(y, in.value...);
                    } else if constexpr (is_dyn_shape_v<S>) {
                        // lengths were checked by the forward sweep; adjoints are sized like
                        // their values at the start of the reverse sweep
                        const std::size_t n = size_of(y);
                        for (std::size_t j = 0; j < n; ++j)
                            elem(*x.adj, src_index_of<S>(j, x.value)) +=
                                elem(g, j) * Op::template partial<I>(elem(y, j),
                                                                     elem(in.value, src_index_of<S>(j, in.value))...);
                    } else if constexpr (X::first && std::is_same_v<shape_of<Vx>, S>) {
                        for (std::size_t j = 0; j < S::count; ++j)
                            elem(*x.adj, j) =
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    } else {
                        if constexpr (X::first) *x.adj = zeros<Vx>();
                        for (std::size_t j = 0; j < S::count; ++j)
                            elem(*x.adj, src_index<S, shape_of<Vx>>(j)) +=
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    }
                }
            }(),
            ...);
    }(std::index_sequence_for<In...>{});
}

}  // namespace ctgrad::detail
