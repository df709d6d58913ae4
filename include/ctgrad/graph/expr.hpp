#pragma once
/// @file
/// Intermediate expressions: a typed node list plus the payloads it needs, evaluated lazily.
#include <concepts>
#include <type_traits>
#include <utility>

#include "../diagnostics.hpp"
#include "../eval/program.hpp"
#include "build.hpp"
#include "leaf.hpp"

namespace ctgrad::detail {

/// An intermediate expression (what `x * x + 2 * x` returns).
///
/// Its type lists its nodes in reverse topological order (root first); the object holds pointers to the lvalue
/// leaves and retained intermediates it uses and copies of everything else. Nothing is computed
/// until value() or backward() is called, and each call uses the leaves' current values.
/// @code
/// ctgrad::leaf x{3.0, ctgrad::requires_grad};
/// auto y = x * x + 2 * x;            // ctgrad::detail::expr<...>
/// double v = y.backward();           // v == 15, x.grad() == 8
/// @endcode
template <class L, class S>
class expr : public expression_tag, public element_access<expr<L, S>> {
    using prog = program<L, S>;

public:
    using nodes = L;
    using store_type = S;
    using value_type = typename root_of<L>::value_type;

    /// Payloads of the nodes (leaf pointers, constants, retained gradients). Implementation detail.
    store_type store_;

    constexpr explicit expr(const store_type& s) : store_(s) {}

    /// Whether a backward pass reaches a leaf that requires grad.
    static constexpr bool requires_grad() noexcept { return root_of<L>::requires_grad; }
    /// As in PyTorch: an expression that needs no gradient counts as a leaf.
    static constexpr bool is_leaf() noexcept { return !requires_grad(); }

    /// Evaluates the expression with the leaves' current values.
    CTGRAD_SWEEP_INLINE constexpr value_type value() const {
        typename prog::values_type w;
        top_context c;
        prog::forward(store_, w, c);
        return prog::result(w);
    }

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
        typename prog::values_type w;
        backward_context c;
        prog::forward(store_, w, c);
        if constexpr (is_dyn_v<value_type>)
            check_length("backward(seed): seed and value", size_of(seed), size_of(prog::result(w)));
        prog::reverse(store_, w, convert<value_type>(seed), c);
        return prog::result(w);
    }

    /// backward(seed) with seed 1; only for one-element expressions.
    constexpr value_type backward() {
        static_assert(requires_grad(), CTGRAD_MSG_NO_GRAD_FN);
        static_assert(!is_dyn_v<value_type>, CTGRAD_MSG_DYN_IMPLICIT_SEED);
        static_assert(is_dyn_v<value_type> || count_of<value_type> == 1, CTGRAD_MSG_IMPLICIT_SEED);
        return backward(filled<value_type>(one_of<element_of<value_type>>()));
    }

    /// A new intermediate, equal to this one, whose grad() collects its adjoint in every
    /// backward pass that goes through it. Store it in a named variable before using it.
    constexpr auto retain_grad() const {
        static_assert(requires_grad(), CTGRAD_MSG_RETAIN_NO_GRAD);
        return assemble<retain_own<value_type>>(zeros<value_type>(),
                                                part<L, store_type>{store_});
    }

private:
    constexpr auto& at_root() { return root_payload<L>(store_); }
    constexpr const auto& at_root() const { return root_payload<L>(store_); }

public:

    /// The retained gradient; only on intermediates returned by retain_grad().
    constexpr const value_type& grad() const {
        static_assert(is_retained_v<expr>, CTGRAD_MSG_GRAD_NOT_LEAF);
        return at_root();
    }
    /// Resets the retained gradient to zeros.
    constexpr void zero_grad() {
        static_assert(is_retained_v<expr>, CTGRAD_MSG_GRAD_NOT_LEAF);
        if constexpr (is_retained_v<expr>)
            zero_fill(at_root());
    }
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
template <expression E>
constexpr auto stop_gradient(E&& e) {
    using T = detail::element_of<value_t<E>>;
    return detail::assemble<detail::stop_op>(detail::none{}, detail::to_part<T>(std::forward<E>(e)));
}

}  // namespace ctgrad
