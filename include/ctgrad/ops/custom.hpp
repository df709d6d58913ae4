#pragma once
/// @file
/// User-defined structural ops: `ctgrad::make_node<Op>(operands...)` forms the node of an op that
/// gives its own `forward` and `backward` (elementwise ops use `ctgrad::apply`). What the op
/// declares about itself is in `ctgrad::op_info` (op_traits.hpp).
#include <type_traits>

#include "../graph/expr.hpp"
#include "../op_traits.hpp"

namespace ctgrad {

/// The node of a user-defined op `Op` over `operands` (expressions, leaves, plain values) as an
/// expression, the way every ctgrad op forms its node.
///
/// `Op` gives `forward(payload, slot, ctx, a...)`, which writes the node's value to `slot.v`,
/// and `backward(payload, slot, g, ctx, in...)`, which adds each active input's contribution to
/// `*in.adj` (`in.value` is the input's value, `In::active` whether it needs one; adjoints are
/// zeroed before their first contribution). Its value type is `Op::result<V...>` of the
/// operands' value types when declared, else the first operand's. Its capabilities go in
/// `static constexpr ctgrad::op_info info{...}`; `payload` is `ctgrad::no_payload` here.
/// @code
/// struct cumsum {  // y_i = x_0 + ... + x_i
///     static constexpr ctgrad::op_info info{.label = "cumsum"};
///     static constexpr void forward(ctgrad::no_payload, auto& s, auto&, const auto& x) {
///         s.v = x;
///         for (std::size_t i = 1; i < x.elems.size(); ++i) s.v.elems[i] += s.v.elems[i - 1];
///     }
///     template <class In>
///     static constexpr void backward(ctgrad::no_payload, const auto&, const auto& g, auto&, const In& in) {
///         if constexpr (In::active) {  // dx_j = g_j + ... + g_(n-1)
///             double acc = 0;
///             for (std::size_t j = g.elems.size(); j-- > 0;) in.adj->elems[j] += (acc += g.elems[j]);
///         }
///     }
/// };
/// auto y = ctgrad::make_node<cumsum>(x);
/// @endcode
template <class Op, class... T>
    requires(sizeof...(T) > 0 && (expression<T> || ...) && (detail::operand<T> && ...))
constexpr auto make_node(T&&... operands) {
    return detail::make_node<Op>(detail::none{}, static_cast<T&&>(operands)...);
}

/// The payload of a node without one (the first argument of its `forward` and `backward`).
/// Example: `static void forward(ctgrad::no_payload, auto& s, auto& ctx, const auto& x);`
using no_payload = detail::none;

/// As `make_node`, for an op that declares `using payload = P;`: each node stores `payload`
/// (a copy) and passes it to the op's `forward` and `backward`.
/// Example: `auto y = ctgrad::make_node_with_payload<scale_by>(2.5, x);` where `scale_by`
/// declares `using payload = double;`.
template <class Op, class P, class... T>
    requires(sizeof...(T) > 0 && (expression<T> || ...) && (detail::operand<T> && ...) &&
             std::is_convertible_v<P, typename Op::payload>)
constexpr auto make_node_with_payload(P payload, T&&... operands) {
    return detail::make_node<Op>(static_cast<typename Op::payload>(payload), static_cast<T&&>(operands)...);
}

}  // namespace ctgrad
