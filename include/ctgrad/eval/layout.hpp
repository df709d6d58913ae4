#pragma once
/// @file
/// Where a program keeps its values and adjoints: the slot of each node (none for fused and
/// slotless nodes; kept values or pre-accumulated sums for fused reductions), the adjoint list,
/// the layout of each fused region's locals, and how a terminal's value and adjoint and a node's
/// payload are reached.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../analysis/liveness.hpp"
#include "../detail/grouped.hpp"
#include "../graph/fwd.hpp"
#include "../graph/node.hpp"
#include "../graph/store.hpp"
#include "../values/pack_math.hpp"
#include "session.hpp"

namespace ctgrad::detail {

// A terminal's value and adjoint: a leaf's value and grad(), or a shared intermediate's value of
// this evaluation and its adjoint (Access is a parameter so that leaf_access may be completed
// later).
template <class Access = leaf_access, class P>
constexpr const auto& term_value(P* p) noexcept(!CTGRAD_DEBUG) {
    if constexpr (requires { P::is_shared_intermediate; }) return Access::cached(*p);
    else return Access::checked(*p).value();
}
// A use of a shared intermediate in the forward sweep: evaluated at its first use.
template <class Access = leaf_access, class P, class Ctx>
constexpr void shared_ensure(P* p, Ctx& ctx, bool live) {
    Access::ensure(*p, ctx, live);
}
template <class Access = leaf_access, class P>
constexpr auto& term_adjoint(P* p) noexcept(!CTGRAD_DEBUG) {
    if constexpr (requires { P::is_shared_intermediate; }) return Access::adjoint(*p);
    else return Access::grad(*p);
}

// The adjoint type of each node of L: its value type if live, else none.
template <class A, class L, class Seq>
struct adjoint_list;
template <class A, class... D, std::size_t... K>
struct adjoint_list<A, mp::mp_list<D...>, std::index_sequence<K...>> {
    using type = mp::mp_list<
        std::conditional_t<A::live[K] && !A::fused[K] && !A::r.in_grad[K], typename D::value_type, none>...>;
};

// A fused node's value is never materialised.
struct fused_slot {};

// A reduction over a one-node region: its value, and during backward() the region's values.
template <class V, class R>
struct keeping_slot {
    V v;
    R kept;
    constexpr const V& get() const noexcept { return v; }
};

// Whether an op's value and partials use only + - * / and so run unchanged on packs.
template <class Op>
constexpr bool lane_op() {
    return op_traits<Op>::info.lanes;
}

// X itself (P false) or its pack (P true, see values/pack.hpp).
template <class X, bool P>
using lane_t = typename std::conditional_t<P, lanes_of_impl<X>, std::type_identity<X>>::type;

// The layout of a fused region starting at node E (see fused_region): its extent, which nodes
// belong to it, and the scalar outside inputs whose adjoints are summed in locals.
template <class A, class L, std::size_t E>
struct region_layout {
    static constexpr std::size_t Z = A::r.extent[E];
    using sub = mp::mp_take_c<mp::mp_drop_c<L, E>, Z>;
    // Whether node E + z belongs to this region (another region may lie within its extent).
    static constexpr bool in(std::size_t z) { return A::fused[E + z] && A::r.region[E + z] == E; }
    // Outside inputs with a scalar value (broadcast parameters such as mu, sigma): their adjoints
    // are summed in locals over the elements and added once, so the loop carries no
    // store-to-load chain through the adjoint workspace.
    static constexpr std::array<bool, Z> scalar_input = [] {
        std::array<bool, Z> b{};
        [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
            constexpr bool scalar[] = {shape_of<typename D::value_type>::rank == 0 ...};
            (
                [&] {
                    if constexpr (in(z) && A::live[E + z]) {
                        constexpr unsigned nd = nondiff_mask<typename D::op>();
                        for (std::size_t i = 0; i < D::offsets.size(); ++i) {
                            const std::size_t c = z + D::offsets[i];
                            if (!A::fused[E + c] && A::live[E + c] && !((nd >> i) & 1u) && scalar[c])
                                b[c] = true;
                        }
                    }
                }(),
                ...);
        }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        return b;
    }();
    using SE = shape_of<typename root_of<sub>::value_type>;
    using T = element_of<typename root_of<sub>::value_type>;
    // Whether a value can be read in packs: elements of type T, and a scalar (broadcast) or
    // of the region's shape (so elements j .. j + width - 1 are contiguous).
    template <class D>
    static constexpr bool fits() {
        using X = typename D::value_type;
        return std::is_same_v<element_of<X>, T> &&
               (shape_of<X>::rank == 0 || std::is_same_v<shape_of<X>, SE>);
    }
    template <std::size_t z, class Op, class V, bool RG, std::size_t... Off>
    static constexpr bool node_fits(node<Op, V, RG, Off...>*) {
        if constexpr (!in(z)) {
            return true;
        } else {
            constexpr bool inputs[] = {true, fits<mp::mp_at_c<sub, z + Off>>()...};
            bool ok = lane_op<Op>() && fits<node<Op, V, RG, Off...>>();
            for (bool b : inputs) ok = ok && b;
            return ok;
        }
    }
    // Whether the region runs in packs: T has one, every region op's rules are lane-generic
    // (`lanes`) and every value it reads fits.
    static constexpr bool packs = [] {
        if constexpr (!has_pack_v<T>) {
            return false;
        } else {
            return []<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                constexpr bool ok[] = {node_fits<z>(static_cast<D*>(nullptr))...};
                for (bool b : ok)
                    if (!b) return false;
                return true;
            }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        }
    }();
    // The locals of one element (P false) or of one pack of elements (P true).
    template <std::size_t c, class D, bool P>
    using local_t = std::conditional_t<scalar_input[c], lane_t<typename D::value_type, P>, none>;
    template <class Seq, bool P>
    struct local_list;
    template <std::size_t... z, bool P>
    struct local_list<std::index_sequence<z...>, P> {
        using type = mp::mp_list<local_t<z, mp::mp_at_c<sub, z>, P>...>;
    };
    template <bool P>
    using LAg = grouping<typename local_list<std::make_index_sequence<Z>, P>::type>;
    using LA = LAg<false>;
    using locals = typename LA::storage;
};

// A reduction that pre-accumulates: its value, and during backward() the sums of its scalar
// outside inputs' partials.
template <class V, class Locals>
struct preacc_slot {
    V v;
    Locals acc;
    constexpr const V& get() const noexcept { return v; }
};

template <class A, class L, std::size_t K, class D>
struct slot_for {
    using type = slot_t<D>;
};
template <class A, class L, std::size_t K, class D>
    requires(A::r.strategy[K] == region_strategy::keep)
struct slot_for<A, L, K, D> {
    using type = keeping_slot<typename D::value_type, typename mp::mp_at_c<L, K + 1>::value_type>;
};
template <class A, class L, std::size_t K, class D>
    requires(A::r.strategy[K] == region_strategy::preaccumulate)
struct slot_for<A, L, K, D> {
    using type = preacc_slot<typename D::value_type, typename region_layout<A, L, K + 1>::locals>;
};

template <class A, class L, class Seq>
struct slot_list;
template <class A, class... D, std::size_t... K>
struct slot_list<A, mp::mp_list<D...>, std::index_sequence<K...>> {
    using type = mp::mp_list<
        std::conditional_t<A::fused[K] || A::r.slotless[K], fused_slot,
                           typename slot_for<A, mp::mp_list<D...>, K, D>::type>...>;
};

// Payload group G of a store, or none for nodes without a payload (G == number of groups).
template <std::size_t G, class S>
constexpr decltype(auto) payload_at(S& s, std::size_t pos) noexcept {
    if constexpr (G == mp::mp_size<typename store_types_impl<std::remove_const_t<S>>::type>::value)
        return none{};
    else
        return (at<G>(s).v[pos]);
}

}  // namespace ctgrad::detail
