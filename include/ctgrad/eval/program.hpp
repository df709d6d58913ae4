#pragma once
/// @file
/// The forward and reverse sweeps generated from a node list.
///
/// The forward sweep visits nodes in list order and stores each node's value in a flat,
/// statically laid-out workspace. The reverse sweep visits them last first and applies each live
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
    // from the root).
    static constexpr std::array<bool, n> live = [] {
        constexpr std::array<node_info, n> info{
            node_info{D::requires_grad, std::span<const std::size_t>(D::offsets),
                      nondiff_mask<typename D::op>()}...};
        std::array<bool, n> l{};
        l[n - 1] = info[n - 1].rg;
        for (std::size_t k = n; k-- > 0;) {
            if (!l[k]) continue;
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k - info[k].off[i];
                if (info[c].rg && !((info[k].nondiff >> i) & 1u)) l[c] = true;
            }
        }
        return l;
    }();
};

/// Context of the outermost sweep (loop bodies get one that carries the loop state).
struct top_context {};

template <class L, class S>
struct program {
    using A = analysis<L>;
    static constexpr std::size_t n = A::n;
    using SG = store_index<L, S>;
    using WG = grouping<mp::mp_transform<slot_t, L>>;
    using store_type = S;
    using values_type = typename WG::storage;
    using value_type = typename root_of<L>::value_type;
    static constexpr bool root_live = A::live[n - 1];

    template <std::size_t K>
    using adjoint_t = std::conditional_t<A::live[K], typename mp::mp_at_c<L, K>::value_type, none>;

    template <std::size_t... K>
    static auto adjoints_of(std::index_sequence<K...>) -> grouping<mp::mp_list<adjoint_t<K>...>>;
    using AG = decltype(adjoints_of(std::make_index_sequence<n>{}));
    using adjoints_type = typename AG::storage;

    static constexpr const value_type& result(const values_type& w) {
        return WG::template get<n - 1>(w).get();
    }

    template <class Ctx>
    static constexpr void forward(const store_type& s, values_type& w, Ctx& ctx) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            (forward_node<K>(static_cast<mp::mp_at_c<L, K>*>(nullptr), s, w, ctx), ...);
        }(std::make_index_sequence<n>{});
    }

    /// Reverse sweep from the values of a forward sweep, seeded with `seed` at the root.
    template <class Ctx>
    static constexpr void reverse(store_type& s, const values_type& w, const value_type& seed,
                                  Ctx& ctx) {
        if constexpr (root_live) {
            adjoints_type adj{};
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((AG::template get<K>(adj) = zero_adjoint<K>()), ...);
            }(std::make_index_sequence<n>{});
            AG::template get<n - 1>(adj) = seed;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                (reverse_node<n - 1 - K>(static_cast<mp::mp_at_c<L, n - 1 - K>*>(nullptr), s, w,
                                         adj, ctx),
                 ...);
            }(std::make_index_sequence<n>{});
        }
    }

private:
    template <std::size_t K>
    static constexpr adjoint_t<K> zero_adjoint() {
        if constexpr (A::live[K]) return zeros<adjoint_t<K>>();
        else return none{};
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, class Ctx>
    static constexpr void forward_node(node<Op, V, RG, Off...>*, const store_type& s,
                                       values_type& w, Ctx& ctx) {
        if constexpr (elementwise_op<Op>) {
            WG::template get<K>(w).v = convert<V>(map([](const auto&... x) { return Op::value(x...); },
                                                      WG::template get<K - Off>(w).get()...));
        } else {
            Op::forward(SG::template get<K>(s), WG::template get<K>(w), ctx,
                        WG::template get<K - Off>(w).get()...);
        }
    }

    template <std::size_t K, std::size_t I, std::size_t C, class Adj>
    static constexpr auto make_input(const values_type& w, Adj& adj) {
        using Vc = typename mp::mp_at_c<L, C>::value_type;
        constexpr bool active = A::live[C] && !((nondiff_mask<typename mp::mp_at_c<L, K>::op>() >> I) & 1u);
        if constexpr (active) return input<Vc, true>{WG::template get<C>(w).get(), &AG::template get<C>(adj)};
        else return input<Vc, false>{WG::template get<C>(w).get(), none{}};
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, class Ctx>
    static constexpr void reverse_node(node<Op, V, RG, Off...>*, store_type& s,
                                       const values_type& w, adjoints_type& adj, Ctx& ctx) {
        if constexpr (A::live[K]) {
            [&]<std::size_t... I>(std::index_sequence<I...>) {
                if constexpr (elementwise_op<Op>) {
                    elementwise_backward<Op>(AG::template get<K>(adj), WG::template get<K>(w).get(),
                                             make_input<K, I, K - Off>(w, adj)...);
                } else {
                    Op::backward(SG::template get<K>(s), WG::template get<K>(w),
                                 AG::template get<K>(adj), ctx, make_input<K, I, K - Off>(w, adj)...);
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
