#pragma once
/// @file
/// Intermediate expressions: a typed tree of nodes holding the payloads it needs, evaluated lazily.
#include <concepts>
#include <type_traits>
#include <utility>

#include "../diagnostics.hpp"
#include "../eval/evaluate.hpp"
#include "build.hpp"
#include "leaf.hpp"
#include "overloads.hpp"

namespace ctgrad::detail {

/// An intermediate expression (what `x * x + 2 * x` returns).
///
/// Its type is the expression's tree (graph/tree.hpp) and payload store (graph/store.hpp); the
/// object holds pointers to the lvalue leaves and shared intermediates it uses and copies of
/// everything else. Nothing is computed
/// until value() or backward() is called, and each call uses the leaves' current values.
/// Copying an expression copies its tree: `auto t = e;` used twice is evaluated twice (bind it
/// with ctgrad::share to evaluate it once).
/// @code
/// ctgrad::leaf x{3.0, ctgrad::requires_grad};
/// auto y = x * x + 2 * x;            // ctgrad::detail::expr<...>
/// double v = y.backward();           // v == 15, x.grad() == 8
/// @endcode
template <class N, class S>
class expr : public expression_tag, public element_access<expr<N, S>>, public store_holder<S> {
    using eval = evaluation<N, S>;

public:
    using tree_type = N;
    using store_type = S;
    using value_type = typename N::desc::value_type;
    using store_holder<S>::store_;

    /// Whether a backward pass reaches a leaf that requires grad.
    static constexpr bool requires_grad() noexcept { return N::desc::requires_grad; }
    /// As in PyTorch: an expression that needs no gradient counts as a leaf.
    static constexpr bool is_leaf() noexcept { return !requires_grad(); }

    /// Evaluates the expression with the leaves' current values.
    CTGRAD_SWEEP_INLINE constexpr value_type value() const { return eval::value(store_); }

    /// The value of a one-element expression as a scalar.
    constexpr element_of<value_type> item() const {
        static_assert(count_of<value_type> == 1, CTGRAD_MSG_ITEM);
        return elem(value(), 0);
    }

    /// Vector-Jacobian product: adds seed^T J to grad() of every leaf that requires grad (and of
    /// retained intermediates on the way). Returns the value it computed.
    template <class Seed>
    CTGRAD_SWEEP_INLINE constexpr value_type backward(const Seed& seed) {
        static_assert(requires_grad(), CTGRAD_MSG_NO_GRAD_FN);
        static_assert(std::is_same_v<shape_of<Seed>, shape_of<value_type>>, CTGRAD_MSG_SEED_SHAPE);
        return eval::backward(store_, seed);
    }

    /// backward(seed) with seed 1; only for one-element expressions.
    constexpr value_type backward() {
        static_assert(requires_grad(), CTGRAD_MSG_NO_GRAD_FN);
        static_assert(!is_dyn_v<value_type>, CTGRAD_MSG_DYN_IMPLICIT_SEED);
        static_assert(is_dyn_v<value_type> || count_of<value_type> == 1, CTGRAD_MSG_IMPLICIT_SEED);
        return backward(filled<value_type>(one_of<element_of<value_type>>()));
    }

    /// A shared intermediate equal to this expression whose grad() collects its adjoint in every
    /// backward pass that goes through it. Store it in a named variable before using it:
    /// `auto h = (x * x).retain_grad();`
    constexpr shared<N, S, true> retain_grad() const {
        static_assert(requires_grad(), CTGRAD_MSG_RETAIN_NO_GRAD);
        return shared<N, S, true>{store_};
    }

    /// An expression's type is its tree, so a variable cannot take an expression of another
    /// tree (`y = y + x * y;` in a loop): an error here that names ctgrad::fori_loop.
    template <class T>
        requires(!std::is_same_v<std::remove_cvref_t<T>, expr>)
    constexpr void operator=(T&&) {
        static_assert(dependent_false<T>, CTGRAD_MSG_REASSIGN);
    }

    /// Only on leaves and retained intermediates: an error here.
    constexpr value_type grad() const {
        static_assert(dependent_false<N>, CTGRAD_MSG_GRAD_NOT_LEAF);
        return value();
    }
    /// Only on leaves and retained intermediates: an error here.
    constexpr void zero_grad() { static_assert(dependent_false<N>, CTGRAD_MSG_GRAD_NOT_LEAF); }
};

}  // namespace ctgrad::detail

namespace ctgrad {

/// A leaf that does not require grad, holding the current value of `e`.
/// Example: `auto c = ctgrad::detach(x * x);  // leaf<double, false>`
template <expression E>
constexpr auto detach(const E& e) {
    return leaf<value_t<E>>{e.value()};
}

/// A lazy intermediate equal to `e` through which no gradient flows.
/// Example: `auto y = x * ctgrad::stop_gradient(x);  // dy/dx == x`
CTGRAD_DETAIL_UNARY((), stop_gradient, expression,
    using T = detail::element_of<value_t<E>>;
    return detail::assemble<detail::stop_op>(detail::none{}, detail::to_part<T>(static_cast<e_type&&>(e)));)

}  // namespace ctgrad
