#pragma once
/// @file
/// Public type traits and concepts: what kind of value an expression is, and whether it needs
/// gradients. All traits strip references and cv-qualifiers from their argument.
#include <iterator>
#include <type_traits>

#include "graph/fwd.hpp"
#include "graph/node.hpp"
#include "values/dyn.hpp"

namespace ctgrad {

namespace detail {
// What kind of expression E is. The answers are types (std::bool_constant), not static data
// members: an expression's type spells its whole tree, and every variable whose name contains it
// is mangled by the compiler, at a cost that grows with the tree (measured in docs/design.md).
template <class E>
struct expr_traits {
    using is_expression = std::false_type;
    using requires_grad = std::false_type;
    using is_leaf = std::false_type;
    using value_type = E;
};
template <class V, bool RG>
struct expr_traits<leaf<V, RG>> {
    using is_expression = std::true_type;
    using requires_grad = std::bool_constant<RG>;
    using is_leaf = std::true_type;
    using value_type = V;
};
template <class N, class S>
struct expr_traits<expr<N, S>> {
    using is_expression = std::true_type;
    using requires_grad = std::bool_constant<N::desc::requires_grad>;
    using is_leaf = std::bool_constant<!N::desc::requires_grad>;
    using value_type = typename N::desc::value_type;
};
// Shared intermediates are not leaves (as retained intermediates in PyTorch).
template <class N, class S, bool R>
struct expr_traits<shared<N, S, R>> {
    using is_expression = std::true_type;
    using requires_grad = std::bool_constant<N::desc::requires_grad>;
    using is_leaf = std::bool_constant<!N::desc::requires_grad>;
    using value_type = typename N::desc::value_type;
};
template <class Tag, class V, bool RG>
struct expr_traits<handle<Tag, V, RG>> {
    using is_expression = std::true_type;
    using requires_grad = std::bool_constant<RG>;
    using is_leaf = std::bool_constant<!RG>;
    using value_type = V;
};
}  // namespace detail

/// True iff `E` has a differentiable path to a leaf that requires grad.
/// Example: `static_assert(ctgrad::requires_grad_v<decltype(x * 2)>);` for a grad leaf `x`.
template <class E>
inline constexpr bool requires_grad_v = detail::expr_traits<std::remove_cvref_t<E>>::requires_grad::value;

/// True for every `leaf` type and, as in PyTorch, for any expression that needs no gradient.
/// Example: `static_assert(ctgrad::is_leaf_v<decltype(x)>);` for any leaf `x`; false for `x * x`
template <class E>
inline constexpr bool is_leaf_v = detail::expr_traits<std::remove_cvref_t<E>>::is_leaf::value;

/// Leaves and expressions (a plain tensor or scalar is not one).
/// Example: `static_assert(ctgrad::expression<ctgrad::leaf<double>>);` (false for `double`)
template <class E>
concept expression = detail::expr_traits<std::remove_cvref_t<E>>::is_expression::value;

/// The value type of an expression or leaf (a plain value is its own value type).
/// Example: `static_assert(std::is_same_v<ctgrad::value_t<ctgrad::leaf<double>>, double>);`
template <class E>
using value_t = typename detail::expr_traits<std::remove_cvref_t<E>>::value_type;

namespace detail {
// A container from outside ctgrad (std::vector, std::array, ...) given where a ctgrad value is
// expected: accepted by overload resolution only to be rejected with a message naming the fix.
template <class T>
concept foreign_container = !expression<T> && !plain_value<T> && !is_view_v<std::remove_cvref_t<T>> &&
                            requires(const std::remove_cvref_t<T>& c) {
                                std::begin(c);
                                std::end(c);
                            };
template <class T>
concept operand = expression<T> || plain_value<T> || foreign_container<T>;
}  // namespace detail

}  // namespace ctgrad
