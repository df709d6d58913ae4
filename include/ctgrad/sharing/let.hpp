#pragma once
/// @file
/// ctgrad::let: bind a sub-expression once and use it any number of times.
#include "handle.hpp"

namespace ctgrad {
namespace detail {
// A handle at position K of the body becomes an alias of the bound root, which follows the
// body's NB nodes (lists are root first), NB - K places after it.
template <std::size_t NB>
struct let_alias {
    template <class D, std::size_t K>
    using fn = node<alias_op, typename D::value_type, D::requires_grad, NB - K>;
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
    using L0 = typename decltype(body)::nodes;
    using LB = detail::resolve_handles<F, detail::let_alias<detail::mp::mp_size<L0>::value>::template fn,
                                       L0>;
    auto all = detail::concat(detail::part<LB, decltype(body.store)>{body.store}, bound);
    return detail::expr<typename decltype(all)::nodes, decltype(all.store)>{all.store};
}

}  // namespace ctgrad
