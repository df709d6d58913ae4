#pragma once
/// @file
/// Node descriptors: what the evaluator knows of one node. An evaluated expression is a flat list
/// of descriptors in reverse topological order (the root first, every node's inputs after it),
/// derived once per expression type from its tree (see analysis/flatten.hpp). Each descriptor
/// names its op, its value type, whether it requires grad, and its inputs as offsets forward
/// from its own position; offsets are relative, so a descriptor depends only on its op and the
/// sizes of its inputs, never on where it sits.
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../detail/flat_tuple.hpp"
#include "../op_traits.hpp"
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
concept elementwise_op = op_traits<Op>::info.elementwise;

// Inputs that carry no derivative (conditions, comparison operands): bit I set for input I.
template <class Op>
constexpr unsigned nondiff_mask() {
    return op_traits<Op>::info.nondiff;
}

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
