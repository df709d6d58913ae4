#pragma once
/// @file
/// The forward and reverse sweeps generated from a node list.
///
/// The forward sweep visits nodes in topological order (the node list is root first, so that is
/// the list reversed) and stores each node's value in a flat, statically laid-out workspace. The
/// reverse sweep visits them root first and applies each live
/// node's local derivative once. Which nodes are live (need an adjoint) is decided at compile
/// time; a node that is not live gets no derivative code at all. Both sweeps are flat pack
/// expansions, so neither template nor constexpr depth grows with the expression's depth.
#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <utility>

#include "../graph/fwd.hpp"
#include "../graph/node.hpp"

namespace ctgrad::detail {

struct node_info {
    bool rg;
    std::span<const std::size_t> off;
    unsigned nondiff;
};

template <class L>
struct analysis;

template <class... D>
struct analysis<mp::mp_list<D...>> {
    static constexpr std::size_t n = sizeof...(D);
    // live[k]: node k needs an adjoint (it requires grad and a differentiable path leads to it
    // from the root). Lists are root first, so every node's inputs come after it.
    static constexpr std::array<bool, n> live = [] {
        constexpr std::array<node_info, n> info{
            node_info{D::requires_grad, std::span<const std::size_t>(D::offsets),
                      nondiff_mask<typename D::op>()}...};
        std::array<bool, n> l{};
        l[0] = info[0].rg;
        for (std::size_t k = 0; k < n; ++k) {
            if (!l[k]) continue;
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k + info[k].off[i];
                if (info[c].rg && !((info[k].nondiff >> i) & 1u)) l[c] = true;
            }
        }
        return l;
    }();
};

// The adjoint type of each node of L: its value type if live, else none.
template <class A, class L, class Seq>
struct adjoint_list;
template <class A, class... D, std::size_t... K>
struct adjoint_list<A, mp::mp_list<D...>, std::index_sequence<K...>> {
    using type = mp::mp_list<std::conditional_t<A::live[K], typename D::value_type, none>...>;
};

/// Context of the outermost sweep (loop bodies get one that carries the loop state).
struct top_context {};

// Sweeps expand the node list and an index sequence in lockstep (a node's type comes from the
// pack, never from an indexed lookup into the list, which is linear per lookup on GCC), inside
// braced lists (not fold expressions, whose length Clang limits to 256).
template <class L, class S>
struct program {
    using A = analysis<L>;
    static constexpr std::size_t n = A::n;
    using SG = store_index<L, S>;
    using WG = grouping<mp::mp_transform<slot_t, L>>;
    using store_type = S;
    using values_type = typename WG::storage;
    using value_type = typename root_of<L>::value_type;
    static constexpr bool root_live = A::live[0];
    // Whether some node has a run-time-length (dyn) value: its adjoint is sized from the forward
    // value at the start of the reverse sweep.
    // (A braced list, not a fold: Clang limits folds to 256 operands.)
    static constexpr bool has_dyn = []<class... D>(mp::mp_list<D...>*) {
        constexpr bool dyn_value[] = {false, is_dyn_v<typename D::value_type>...};
        for (bool b : dyn_value)
            if (b) return true;
        return false;
    }(static_cast<L*>(nullptr));

    using AG = grouping<typename adjoint_list<A, L, std::make_index_sequence<n>>::type>;
    using adjoints_type = typename AG::storage;

    static constexpr const value_type& result(const values_type& w) {
        return WG::template get<0>(w).get();
    }

    /// Forward sweep: nodes in topological order (the list reversed; node k of it is node
    /// n - 1 - k of L).
    template <class Ctx>
    static constexpr void forward(const store_type& s, values_type& w, Ctx& ctx) {
        [&]<class... D, std::size_t... K>(mp::mp_list<D...>*, std::index_sequence<K...>) {
            [[maybe_unused]] const int seq[] = {
                (forward_node<n - 1 - K>(static_cast<D*>(nullptr), s, w, ctx), 0)...};
        }(static_cast<reversed<L>*>(nullptr), std::make_index_sequence<n>{});
    }

    /// Reverse sweep from the values of a forward sweep, seeded with `seed` at the root.
    template <class Ctx>
    static constexpr void reverse(store_type& s, const values_type& w, const value_type& seed,
                                  Ctx& ctx) {
        if constexpr (root_live) {
            adjoints_type adj{};
            [&]<std::size_t... J>(std::index_sequence<J...>) {
                (zero_group(at<J>(adj)), ...);
            }(std::make_index_sequence<AG::u>{});
            if constexpr (has_dyn) {
                if constexpr (is_dyn_v<value_type>) {
                    // an empty dyn adjoint is a zero that was never sized (a loop state the
                    // body ignores): nothing flows back
                    if (size_of(seed) == 0 && size_of(result(w)) != 0) return;
                    check_length("backward(seed): seed and value", size_of(seed),
                                 size_of(result(w)));
                }
                [&]<class... D, std::size_t... K>(mp::mp_list<D...>*, std::index_sequence<K...>) {
                    [[maybe_unused]] const int seq[] = {
                        (size_adjoint<K>(static_cast<D*>(nullptr), w, adj), 0)...};
                }(static_cast<L*>(nullptr), std::make_index_sequence<n>{});
            }
            AG::template get<0>(adj) = seed;
            [&]<class... D, std::size_t... K>(mp::mp_list<D...>*, std::index_sequence<K...>) {
                [[maybe_unused]] const int seq[] = {
                    (reverse_node<K>(static_cast<D*>(nullptr), s, w, adj, ctx), 0)...};
            }(static_cast<L*>(nullptr), std::make_index_sequence<n>{});
        }
    }

private:
    template <std::size_t K, class D>
    static constexpr void size_adjoint(D*, const values_type& w, adjoints_type& adj) {
        if constexpr (A::live[K] && is_dyn_v<typename D::value_type>)
            AG::template get<K>(adj) = zeros_like(WG::template get<K>(w).get());
    }

    template <class T, std::size_t M>
    static constexpr void zero_group(std::array<T, M>& g) {
        if constexpr (!std::is_same_v<T, none>)
            for (auto& a : g) a = zeros<T>();
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, class Ctx>
    static constexpr void forward_node(node<Op, V, RG, Off...>*, const store_type& s,
                                       values_type& w, Ctx& ctx) {
        if constexpr (elementwise_op<Op>) {
            WG::template get<K>(w).v = convert<V>(map([](const auto&... x) { return Op::value(x...); },
                                                      WG::template get<K + Off>(w).get()...));
        } else {
            Op::forward(SG::template get<K>(s), WG::template get<K>(w), ctx,
                        WG::template get<K + Off>(w).get()...);
        }
    }

    template <class Op, std::size_t I, std::size_t C, class Adj>
    static constexpr auto make_input(const values_type& w, Adj& adj) {
        const auto& v = WG::template get<C>(w).get();
        using Vc = std::remove_cvref_t<decltype(v)>;
        constexpr bool active = A::live[C] && !((nondiff_mask<Op>() >> I) & 1u);
        if constexpr (active) return input<Vc, true>{v, &AG::template get<C>(adj)};
        else return input<Vc, false>{v, none{}};
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, class Ctx>
    static constexpr void reverse_node(node<Op, V, RG, Off...>*, store_type& s,
                                       const values_type& w, adjoints_type& adj, Ctx& ctx) {
        if constexpr (A::live[K]) {
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                if constexpr (elementwise_op<Op>) {
                    elementwise_backward<Op>(AG::template get<K>(adj), WG::template get<K>(w).get(),
                                             make_input<Op, I, K + Off>(w, adj)...);
                } else {
                    Op::backward(SG::template get<K>(s), WG::template get<K>(w),
                                 AG::template get<K>(adj), ctx, make_input<Op, I, K + Off>(w, adj)...);
                }
            }(std::index_sequence_for<decltype(Off)...>{});
        }
    }
};

// Reverse rule shared by every elementwise op: adjoint of input I += g * d(op)/d(input I),
// summed over broadcast dimensions.
template <class Op, class G, class Y, class... In>
constexpr void elementwise_backward(const G& g, const Y& y, const In&... in) {
    using S = shape_of<Y>;
    const auto ins = std::forward_as_tuple(in...);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                const auto& x = std::get<I>(ins);
                if constexpr (std::remove_cvref_t<decltype(x)>::active) {
                    using Vx = std::remove_cvref_t<decltype(x.value)>;
                    if constexpr (S::rank == 0) {
                        *x.adj += g * Op::template partial<I>(y, in.value...);
                    } else if constexpr (is_dyn_shape_v<S>) {
                        // lengths were checked by the forward sweep; adjoints are sized like
                        // their values at the start of the reverse sweep
                        const std::size_t n = size_of(y);
                        for (std::size_t j = 0; j < n; ++j)
                            elem(*x.adj, src_index<S, shape_of<Vx>>(j)) +=
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    } else {
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
