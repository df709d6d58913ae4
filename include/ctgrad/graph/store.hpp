#pragma once
/// @file
/// The payload store of an expression: the run-time data of its nodes (leaf pointers, constants,
/// loop bodies' stores), grouped by type, in the order of the flat node list.
///
/// A store is ftuple<group<P, count>...>: one plain array per payload type, groups in order of
/// first appearance, payloads in flat-list order within a group (the node first, then its inputs
/// last to first). Nodes without a payload (most ops) take no room. Forming a node merges its
/// inputs' store types (a few groups, whatever the expression's size) and copies their arrays.
#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../detail/flat_tuple.hpp"
#include "node.hpp"

namespace ctgrad::detail {

// A store holds the payloads of a node list grouped by type: ftuple<group<P, count>...>,
// groups in order of first appearance, payloads in node order within a group. Nodes without a
// payload (most ops) take no room. Store types are merged incrementally as expressions grow, so
// building a node never walks the whole list. Groups are plain arrays: copying one costs no
// member-function instantiation per size (a chain of K nodes has K store sizes).
template <class P, std::size_t N>
struct group {
    P v[N];
};
template <class S, class P, std::size_t N>
struct add_group;
template <std::size_t... I, class... Q, std::size_t... M, class P, std::size_t N>
struct add_group<ftuple_impl<std::index_sequence<I...>, group<Q, M>...>, P, N> {
    static constexpr bool found = (std::is_same_v<Q, P> || ...);
    using type = std::conditional_t<found,
                                     ftuple<group<Q, M + (std::is_same_v<Q, P> ? N : 0)>...>,
                                     ftuple<group<Q, M>..., group<P, N>>>;
};
template <class S, class PN>
using add_group_t = typename add_group<S, mp::mp_front<PN>, mp::mp_second<PN>::value>::type;
template <class S, class S2>
struct merge_store;
template <class S, std::size_t... I, class... P, std::size_t... N>
struct merge_store<S, ftuple_impl<std::index_sequence<I...>, group<P, N>...>> {
    using type = mp::mp_fold<mp::mp_list<mp::mp_list<P, mp::mp_size_t<N>>...>, S, add_group_t>;
};
template <class S>
struct merge_store<S, ftuple<>> {
    using type = S;
};
template <class S, class S2>
using merge_store_t = typename merge_store<S, S2>::type;
template <class... S>
using merged_store = mp::mp_fold<mp::mp_list<S...>, ftuple<>, merge_store_t>;

// The store of a single node with payload type P: empty when P is none.
template <class P>
struct single_store {
    using type = ftuple<group<P, 1>>;
};
template <>
struct single_store<none> {
    using type = ftuple<>;
};

template <class S>
struct store_types_impl;
template <std::size_t... I, class... P, std::size_t... N>
struct store_types_impl<ftuple_impl<std::index_sequence<I...>, group<P, N>...>> {
    using type = mp::mp_list<P...>;
};

// Where node K's payload lives in a store of type S for node list L.
template <class L, class S>
struct store_index;
template <class... D, class S>
struct store_index<mp::mp_list<D...>, S> {
    using types = typename store_types_impl<S>::type;
    static constexpr std::size_t n = sizeof...(D);
    static constexpr std::size_t nt = mp::mp_size<types>::value;
    // group[k] == nt: node k has no payload
    static constexpr std::array<std::size_t, n> group{mp::mp_find<types, payload_t<D>>::value...};
    static constexpr std::array<std::size_t, n> pos = [] {
        std::array<std::size_t, n> p{};
        std::array<std::size_t, nt + 1> c{};
        for (std::size_t k = 0; k < n; ++k) p[k] = c[group[k]]++;
        return p;
    }();
    template <std::size_t K>
    static constexpr decltype(auto) get(S& s) noexcept {
        if constexpr (group[K] == nt) return none{};
        else return (at<group[K]>(s).v[pos[K]]);
    }
    template <std::size_t K>
    static constexpr decltype(auto) get(const S& s) noexcept {
        if constexpr (group[K] == nt) return none{};
        else return (at<group[K]>(s).v[pos[K]]);
    }
};

/// The payloads of an expression (a base of `expr`, so that functions taking it are keyed on the
/// store type only). Implementation detail.
template <class S>
struct store_holder {
    S store_;
};

/// part<N, S>: an operand inside an expression under construction: its tree type N and its
/// payload store.
template <class N, class S>
struct part {
    using tree_type = N;
    using store_type = S;
    S store;
};

// Copy n payloads to d[off...]; returns the new offset. Depends on the payload type only.
template <class P>
constexpr std::size_t copy_group(P* d, std::size_t off, const P* s, std::size_t n) {
    // std::copy_n: one memmove for trivially copyable payloads (a loop per build step would give
    // the optimizer a loop to vectorize at every node of the expression)
    std::copy_n(s, n, d + off);
    return off + n;
}

// Append the groups of a store to `dst` (whose group types are `types`) at offsets `off`: one
// instantiation per pair of store types, no helper lambdas (a chain instantiates this per node).
template <class types, class S, std::size_t U, std::size_t... J, class... P, std::size_t... M>
constexpr void append_store(S& dst, std::array<std::size_t, U>& off,
                            const ftuple_impl<std::index_sequence<J...>, group<P, M>...>& src) {
    ((off[mp::mp_find<types, P>::value] =
          copy_group(at<mp::mp_find<types, P>::value>(dst).v, off[mp::mp_find<types, P>::value],
                     at<J>(src).v, M)),
     ...);
}
template <class types, class S, std::size_t U>
constexpr void append_store(S&, std::array<std::size_t, U>&, const ftuple<>&) {}

}  // namespace ctgrad::detail
