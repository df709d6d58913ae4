#pragma once
/// @file
/// Node descriptors. An expression's type is a list of nodes in reverse topological order: the
/// root comes first and every node's inputs come after it. Each node names its op, its value
/// type, whether it requires grad, and its inputs as offsets forward from its own position.
/// Offsets are relative, so concatenating lists never rewrites a descriptor, and the root is
/// the front of the list, found without walking it (GCC has no __type_pack_element, and a
/// per-expression walk of the list would make building a chain quadratic with a large constant).
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../detail/flat_tuple.hpp"
#include "../detail/grouped.hpp"
#include <boost/mp11/utility.hpp>
#include "../values/tensor.hpp"

namespace ctgrad::detail {

namespace mp = boost::mp11;

template <class Op, class V, bool RG, std::size_t... Off>
struct node {
    using op = Op;
    using value_type = V;
    static constexpr bool requires_grad = RG;
    static constexpr std::array<std::size_t, sizeof...(Off)> offsets{Off...};
};

// payload_t<D>: what the expression object stores for node D (a leaf pointer, a constant, ...).
template <class Op>
struct payload_impl {
    using type = none;
};
template <class Op>
    requires requires { typename Op::payload; }
struct payload_impl<Op> {
    using type = typename Op::payload;
};
template <class D>
using payload_t = typename payload_impl<typename D::op>::type;

// slot_t<D>: what the forward sweep stores for node D; `get()` gives the node's value.
template <class V>
struct value_slot {
    V v;  // written by the forward sweep before anything reads it: not zeroed first
    constexpr const V& get() const noexcept { return v; }
};
template <class Op, class V>
struct slot_impl {
    using type = value_slot<V>;
};
template <class Op, class V>
    requires requires { typename Op::template slot<V>; }
struct slot_impl<Op, V> {
    using type = typename Op::template slot<V>;
};
template <class D>
using slot_t = typename slot_impl<typename D::op, typename D::value_type>::type;

// Ops whose rule is per element: `value(a...)` and `partial<I>(y, a...)` on scalars.
template <class Op>
concept elementwise_op = Op::elementwise;

// Inputs that carry no derivative (conditions, comparison operands): bit I set for input I.
template <class Op>
constexpr unsigned nondiff_mask() {
    if constexpr (requires { Op::nondiff; }) return Op::nondiff;
    else return 0u;
}

/// part<L, S>: a node list and its payload store; what an operand becomes inside an expression.
template <class L, class S>
struct part {
    using nodes = L;
    using store_type = S;
    S store;
};

// cat<L...>: concatenation of node lists (depth = number of lists, not their length).
template <class... L>
struct cat_impl {
    using type = mp::mp_list<>;
};
template <class... A>
struct cat_impl<mp::mp_list<A...>> {
    using type = mp::mp_list<A...>;
};
template <class... A, class... B, class... R>
struct cat_impl<mp::mp_list<A...>, mp::mp_list<B...>, R...> {
    using type = typename cat_impl<mp::mp_list<A..., B...>, R...>::type;
};
template <class... L>
using cat = typename cat_impl<L...>::type;

// root_of<L>: the first node of a list, the root of its expression.
template <class L>
struct root_impl;
template <class R, class... D>
struct root_impl<mp::mp_list<R, D...>> {
    using type = R;
};
template <class L>
using root_of = typename root_impl<L>::type;

// reversed<L>: L in reverse order (topological order for a node list). Sixteen elements are
// moved per level, so the recursion depth is about size/16, far below the template-depth limit,
// and nothing is looked up by index.
template <class L, class Acc = mp::mp_list<>>
struct reverse_impl;
template <class... A>
struct reverse_impl<mp::mp_list<>, mp::mp_list<A...>> {
    using type = mp::mp_list<A...>;
};
template <class T0, class... T, class... A>
struct reverse_impl<mp::mp_list<T0, T...>, mp::mp_list<A...>> {
    using type = typename reverse_impl<mp::mp_list<T...>, mp::mp_list<T0, A...>>::type;
};
template <class T0, class T1, class T2, class T3, class T4, class T5, class T6, class T7, class T8,
          class T9, class T10, class T11, class T12, class T13, class T14, class T15, class... T,
          class... A>
struct reverse_impl<
    mp::mp_list<T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T...>,
    mp::mp_list<A...>> {
    using type = typename reverse_impl<
        mp::mp_list<T...>, mp::mp_list<T15, T14, T13, T12, T11, T10, T9, T8, T7, T6, T5, T4, T3,
                                        T2, T1, T0, A...>>::type;
};
template <class L>
using reversed = typename reverse_impl<L>::type;

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

// The payload of the root of node list L in its store s: the first of its group, since the
// root is the first node.
template <class L, class S>
constexpr auto& root_payload(S& s) noexcept {
    using types = typename store_types_impl<std::remove_const_t<S>>::type;
    return at<mp::mp_find<types, payload_t<root_of<L>>>::value>(s).v[0];
}

/// An operand as seen by a backward rule: its value, and where its adjoint goes when `active`.
/// `first`: the elementwise rule's contribution is the first to that adjoint and assigns it.
template <class V, bool Active, bool First = false>
struct input {
    static constexpr bool active = Active;
    static constexpr bool first = First;
    const V& value;
    std::conditional_t<Active, V*, none> adj;
};

}  // namespace ctgrad::detail
