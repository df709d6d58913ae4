#pragma once
/// @file
/// ctgrad::let: bind a sub-expression once and use it any number of times.
#include "handle.hpp"

namespace ctgrad {
namespace detail {

// The tree of let(e, f) with body tree B and bound tree R: B's root node itself, with R as an extra
// input listed first (so the flat list puts it after the body's inputs, where no offset of the
// body points) and the binding of f's handles to R's root, which lies B's size places after the
// root. No node is added, so the value of the let is the body root's own. A body root that binds
// a handle itself (a let directly inside a let), or is a handle, gets an alias node above it.
template <class F, class B, class R, std::size_t Size>
struct let_tree {
    using D = node<alias_op, typename B::desc::value_type, B::desc::requires_grad, 1>;
    using type = tree<D, 1 + Size, binding<F, 1 + B::size::value>, R, B>;
    static constexpr bool alias = true;
};
template <class F, class D, std::size_t S, class... In, class R, std::size_t Size>
    requires(!is_handle_node_v<D>)  // (a handle is resolved by its parent's binding, not its own)
struct let_tree<F, tree<D, S, void, In...>, R, Size> {
    using type = tree<D, Size, binding<F, S>, R, In...>;
    static constexpr bool alias = false;
};

}  // namespace detail

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
    // The body's handles alias the bound root, which follows the body in the flat list (see
    // analysis/flatten.hpp).
    constexpr std::size_t size = B::size::value + R::size::value;
    static_assert(size <= detail::max_tree_size, CTGRAD_MSG_TOO_LARGE);
    using LT = detail::let_tree<F, B, R, size>;
    using N = typename LT::type;
    using S = detail::merged_store<typename decltype(body)::store_type, typename decltype(bound)::store_type>;
    // the store in flat-list order: the body's (its root's payload first), then the bound's
    return detail::expr<N, S>{{}, {}, {detail::assemble_store<detail::node<detail::alias_op, V, false, 1>, S>(
                                          detail::none{}, bound.store, body.store)}};
}

}  // namespace ctgrad
