#pragma once
/// @file
/// `ctgrad::leaf`: a value the user creates (an input or a parameter), optionally requiring grad.
#include <concepts>
#include <type_traits>
#include <utility>

#include "../detail/flat_tuple.hpp"
#include "../diagnostics.hpp"
#include "../traits.hpp"
#include "../values/dyn.hpp"
#include "fwd.hpp"

namespace ctgrad {

/// A leaf of the computation graph: a value you created, such as an input or a parameter.
///
/// A leaf is not "the last node of a network": it is where values enter. Expressions refer to an
/// lvalue leaf and read its current value every time they are evaluated; when the leaf requires
/// grad, every backward pass adds its vector-Jacobian product to `grad()`.
/// @code
/// ctgrad::leaf x{3.0, ctgrad::requires_grad};   // leaf<double, true>
/// auto y = x * x;
/// y.backward();                                  // x.grad() == 6
/// x.value() -= 0.1 * x.grad();                   // a gradient-descent step
/// @endcode
template <class V, bool RequiresGrad>
class leaf : public detail::expression_tag, public detail::element_access<leaf<V, RequiresGrad>> {
    static_assert(!detail::foreign_container<V>, CTGRAD_MSG_CONTAINER);
    static_assert(!RequiresGrad || detail::foreign_container<V> ||
                      differentiable_scalar<detail::element_of<V>>,
                  CTGRAD_MSG_FLOAT_ONLY);
    static_assert(!RequiresGrad || !detail::is_view_v<V>, CTGRAD_MSG_VIEW_GRAD);
    friend struct detail::leaf_access;

    V value_;
    [[no_unique_address]] std::conditional_t<RequiresGrad, V, detail::none> grad_;
#if CTGRAD_DEBUG
    detail::alive_mark alive_;  // checked build only: cleared when the leaf dies
#endif

    static constexpr auto initial_grad(const V& v) {
        if constexpr (RequiresGrad) return detail::zeros_like(v);
        else return (void)v, detail::none{};
    }

public:
    /// The value type `V`.
    using value_type = V;

    /// A leaf holding zeros (a run-time length of 0 for `dyn`), so that arrays of leaves and
    /// structs holding leaves can be default-constructed: `std::array<leaf<double, true>, 2> p{};`
    constexpr leaf() : value_{}, grad_(initial_grad(value_)) {}

    // A leaf is an identity: expressions refer to it by address, and its grad() is where
    // backward passes write. A copy (or a capture by value, or a reallocating container) would
    // collect gradients the original never sees, or leave expressions dangling.
    leaf(const leaf&) = delete;             // a leaf cannot be copied: refer to it (`[&x]`), or make an independent one with leaf{x.value(), requires_grad}
    leaf& operator=(const leaf&) = delete;  // a leaf cannot be copied: assign its value instead (`x.value() = y.value();`)

    /// A leaf holding `v`; whether it requires grad is the template argument (deduced: no).
    explicit constexpr leaf(const V& v) : value_(v), grad_(initial_grad(v)) {}
    /// A leaf holding `v` that requires grad: `ctgrad::leaf x{2.0, ctgrad::requires_grad};`
    constexpr leaf(const V& v, requires_grad_t)
        requires RequiresGrad
        : value_(v), grad_(initial_grad(v)) {}

    /// The current value; mutable on a non-const leaf (an optimizer step updates it).
    constexpr V& value() noexcept { return value_; }
    /// The current value (read-only).
    constexpr const V& value() const noexcept { return value_; }

    /// The value of a one-element leaf as a scalar.
    constexpr detail::element_of<V> item() const {
        static_assert(detail::count_of<V> == 1, CTGRAD_MSG_ITEM);
        return detail::elem(value_, 0);
    }

    /// The accumulated gradient (zeros before any backward). Only on leaves that require grad.
    constexpr const V& grad() const noexcept {
        static_assert(RequiresGrad, CTGRAD_MSG_LEAF_NO_GRAD);
        return grad_;
    }
    /// Resets grad() to zeros. Only on leaves that require grad.
    constexpr void zero_grad() noexcept {
        static_assert(RequiresGrad, CTGRAD_MSG_LEAF_NO_GRAD);
        if constexpr (RequiresGrad) grad_ = detail::zeros_like(value_);
    }

    /// As in PyTorch: whether this leaf accumulates gradients.
    static constexpr bool requires_grad() noexcept { return RequiresGrad; }
    /// Always true for a leaf.
    static constexpr bool is_leaf() noexcept { return true; }

    /// A leaf is an expression: backward(seed) adds `seed` to grad() and returns the value.
    template <class S>
    constexpr V backward(const S& seed) {
        static_assert(RequiresGrad, CTGRAD_MSG_NO_GRAD_FN);
        static_assert(std::is_same_v<detail::shape_of<S>, detail::shape_of<V>>,
                      CTGRAD_MSG_SEED_SHAPE);
        if constexpr (detail::is_dyn_v<V>)
            detail::check_length(CTGRAD_MSG_LENGTH_SEED, detail::size_of(seed),
                                 detail::size_of(value_));
        if constexpr (RequiresGrad) detail::accumulate(grad_, seed);
        return value_;
    }
    /// backward() with seed 1, for one-element leaves.
    constexpr V backward() {
        static_assert(RequiresGrad, CTGRAD_MSG_NO_GRAD_FN);
        static_assert(!detail::is_dyn_v<V>, CTGRAD_MSG_DYN_IMPLICIT_SEED);
        static_assert(detail::is_dyn_v<V> || detail::count_of<V> == 1, CTGRAD_MSG_IMPLICIT_SEED);
        return backward(detail::filled<V>(detail::one_of<detail::element_of<V>>()));
    }
};

/// Deduction: `leaf{v}` does not require grad.
template <class V>
leaf(V) -> leaf<V, false>;
/// Deduction: `leaf{v, ctgrad::requires_grad}` requires grad.
template <class V>
leaf(V, requires_grad_t) -> leaf<V, true>;

}  // namespace ctgrad
