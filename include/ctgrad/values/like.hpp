#pragma once
/// @file
/// `ctgrad::ones_like(e)` and `ctgrad::zeros_like(e)`: a value of `e`'s value type and shape,
/// every element one (a ready backward seed: `y.backward(ctgrad::ones_like(y))`) or zero.
#include <type_traits>

#include "tensor.hpp"

namespace ctgrad {
namespace detail {

// The value a *_like function returns for a value of type V: V itself, except that a read-only
// view gives the tensor it would be copied into.
template <class V>
struct like_value_impl {
    using type = V;
};
template <class T, std::size_t... C>
struct like_value_impl<view_t<T, C...>> {
    using type = tensor<T, dyn, C...>;
};

// The function object behind ones_like (One) and zeros_like. An object rather than a function
// template, so that it never joins overload sets of the internal detail::zeros_like through
// argument-dependent lookup.
template <bool One>
struct fill_like_fn {
    template <class E>
        requires(plain_value<E> || requires(const E& e) { e.value(); })
    constexpr auto operator()(const E& e) const {
        if constexpr (plain_value<E>) {
            return make<std::remove_cvref_t<E>>(e);
        } else {
            using V = std::remove_cvref_t<decltype(e.value())>;
            // Only a run-time length needs the value: for an expression that is an evaluation.
            if constexpr (is_dyn_v<V>) return make<V>(e.value());
            else return make<V>(0);
        }
    }

private:
    template <class V, class L>
    static constexpr auto make(const L& like) {
        using R = typename like_value_impl<V>::type;
        using T = element_of<R>;
        return filled_like<R>(like, One ? one_of<T>() : zero_of<T>());
    }
};

}  // namespace detail

/// A value of `e`'s value type and shape with every element 1, for `e` a leaf, an expression,
/// a tensor or a scalar (a view gives a `tensor<T, dyn>`). For a fixed shape nothing is
/// evaluated; a `dyn` length comes from the value, so a `dyn` expression is evaluated once.
/// @code
/// ctgrad::leaf x{ctgrad::tensor{1.0, 2.0}, ctgrad::requires_grad};
/// auto y = x * x;
/// y.backward(ctgrad::ones_like(y));   // seed [1, 1]: x.grad() == [2, 4]
/// @endcode
inline constexpr detail::fill_like_fn<true> ones_like{};

/// A value of `e`'s value type and shape with every element 0; see ones_like.
/// Example: `ctgrad::zeros_like(ctgrad::tensor{1.0, 2.0}) == ctgrad::tensor{0.0, 0.0}`
inline constexpr detail::fill_like_fn<false> zeros_like{};

}  // namespace ctgrad
