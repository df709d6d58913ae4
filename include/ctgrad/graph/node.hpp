#pragma once
/// @file
/// Node descriptors. An expression's type is a topologically ordered list of nodes; each node
/// names its op, its value type, whether it requires grad, and its inputs as offsets back from
/// its own position. Offsets are relative, so concatenating lists never rewrites a descriptor.
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../detail/flat_tuple.hpp"
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
    V v{};
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
    S store;
};

template <class L>
using store_of = mp::mp_apply<ftuple, mp::mp_transform<payload_t, L>>;
template <class L>
using root_of = mp::mp_back<L>;

/// An operand as seen by a backward rule: its value, and where its adjoint goes when `active`.
template <class V, bool Active>
struct input {
    static constexpr bool active = Active;
    const V& value;
    std::conditional_t<Active, V*, none> adj;
};

}  // namespace ctgrad::detail
