#pragma once
/// @file
/// ctgrad::let: bind a sub-expression once and use it any number of times.
#include "handle.hpp"

namespace ctgrad {

/// Evaluate `e` once and let `f` use its value any number of times.
///
/// `f` receives a handle standing for the value of `e` and returns an expression using it.
/// Each evaluation computes `e` once, and the reverse pass sums the adjoints of all uses and
/// propagates them into `e` once. Lets nest; an inner `f` may use outer handles.
/// @code
/// ctgrad::leaf x{0.5, ctgrad::requires_grad};
/// auto w = ctgrad::let(x * x + 1.0, [](auto t) { return t * t + t; });   // t computed once
/// @endcode
template <class E, class F>
    requires detail::operand<E>
constexpr auto let(E&& e, F f) {
    using V = value_t<E>;
    using T = detail::element_of<V>;
    auto bound = detail::to_part<T>(std::forward<E>(e));
    auto body = detail::to_part<T>(f(detail::handle<F, V, requires_grad_v<E>>{}));
    using B = typename decltype(body)::tree_type;
    using R = typename decltype(bound)::tree_type;
    // The let node aliases the body's root; the body's handles alias the bound root, which
    // follows the body in the flat list (see analysis/flatten.hpp).
    using D = detail::node<detail::alias_op, typename B::desc::value_type, B::desc::requires_grad, 1>;
    constexpr std::size_t size = 1 + B::size::value + R::size::value;
    static_assert(size <= detail::max_tree_size, CTGRAD_MSG_TOO_LARGE);
    using N = detail::tree<D, size, detail::binding<F, 1 + B::size::value>, R, B>;
    using S = detail::merged_store<typename decltype(body)::store_type, typename decltype(bound)::store_type>;
    return detail::expr<N, S>{{}, {}, {detail::assemble_store<D, S>(detail::none{}, bound.store, body.store)}};
}

}  // namespace ctgrad
