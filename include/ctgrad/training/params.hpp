#pragma once
/// @file
/// `ctgrad::params(a, b, ...)`: the list of leaves an optimizer updates.
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include "../config.hpp"
#include "../diagnostics.hpp"
#include "../graph/leaf.hpp"

namespace ctgrad {

namespace detail {
template <class L>
inline constexpr bool is_grad_leaf_v = false;
template <class V>
inline constexpr bool is_grad_leaf_v<leaf<V, true>> = true;
}  // namespace detail

/// Leaves that require grad, referred to by pointer (never copied: they must outlive the list),
/// of any value types. Made by ctgrad::params; no heap, usable in constant evaluation. A leaf
/// listed twice throws std::invalid_argument (an optimizer would update it twice per step).
/// @code
/// ctgrad::leaf w{ctgrad::tensor{1.0, 2.0}, ctgrad::requires_grad};
/// ctgrad::leaf b{0.5, ctgrad::requires_grad};
/// auto ps = ctgrad::params(w, b);   // holds &w and &b
/// ps.zero_grad();
/// @endcode
template <class... L>
class param_list {
    static_assert((detail::is_grad_leaf_v<L> && ...), CTGRAD_MSG_PARAMS);
    std::tuple<L*...> leaves_;

public:
    /// The list of the given leaves (prefer ctgrad::params).
    constexpr explicit param_list(L&... leaves) : leaves_(&leaves...) {
        // Only leaves of one type can be one object; a list is a handful of parameters.
        const void* const p[] = {static_cast<const void*>(&leaves)..., nullptr};
        for (std::size_t i = 0; i < sizeof...(L); ++i)
            for (std::size_t j = i + 1; j < sizeof...(L); ++j)
                if (p[i] == p[j]) detail::raise<std::invalid_argument>(CTGRAD_MSG_PARAMS_TWICE);
    }

    /// The number of parameters.
    static constexpr std::size_t size() noexcept { return sizeof...(L); }

    /// Parameter `I` (the leaf itself).
    template <std::size_t I>
    constexpr auto& get() const noexcept {
        return *std::get<I>(leaves_);
    }

    /// Calls `f(leaf)` for every parameter, in order.
    template <class F>
    constexpr void for_each(F&& f) const {
        std::apply([&f](L*... p) { (f(*p), ...); }, leaves_);
    }

    /// Resets every parameter's grad() to zeros (each keeps its length).
    constexpr void zero_grad() const {
        for_each([](auto& p) { p.zero_grad(); });
    }
};

/// The parameters an optimizer updates: non-const lvalue leaves that require grad, of any value
/// types (scalars, fixed tensors, `tensor<T, dyn>`). Only pointers are kept, so the leaves must
/// outlive the list. A leaf listed twice throws std::invalid_argument.
/// @code
/// ctgrad::leaf a{1.0, ctgrad::requires_grad};
/// ctgrad::leaf w{ctgrad::tensor{1.0, 2.0}, ctgrad::requires_grad};
/// ctgrad::optim::sgd opt{ctgrad::params(a, w), {.lr = 0.1}};
/// @endcode
template <class... L>
constexpr auto params(L&... leaves) {
    constexpr bool ok =
        ((detail::is_grad_leaf_v<std::remove_const_t<L>> && !std::is_const_v<L>) && ...);
    static_assert(ok, CTGRAD_MSG_PARAMS);
    if constexpr (ok) return param_list<L...>(leaves...);
    else return param_list<>();  // not reached: the assertion above failed (no second error)
}

}  // namespace ctgrad
