#pragma once
/// @file
/// The build-time representation of an expression: a tree of nodes nested by value.
///
/// A tree node holds its descriptor (op, value type, requires_grad, input offsets) and its subtree
/// size as template arguments, both computed when the node is formed from its inputs' arguments,
/// and holds its payload (a leaf pointer, a constant, ...) and its inputs by value. Forming a node
/// therefore instantiates one class and copies its inputs once: its cost does not depend on the
/// size of the expression below it. The flat programs the evaluator runs are derived from the
/// tree type once per evaluated expression (analysis/flatten.hpp).
#include <cstddef>
#include <type_traits>

#include "../detail/flat_tuple.hpp"
#include "node.hpp"

namespace ctgrad::detail {

/// The largest expression tree (nodes counted with copies) that compiles; see `ctgrad::share`.
inline constexpr std::size_t max_tree_size = 65536;

/// A binding made by `let`: handles of `Tag` inside the body alias the node `Rel` places after
/// the binding node in the flat list (the bound expression's root).
template <class Tag, std::size_t Rel>
struct binding {};

/// A node of an expression tree. `D` is its descriptor, `Size` the number of nodes of the subtree
/// (with copies), `B` a binding or void, `In...` the inputs' trees. Inputs are listed in the order
/// the flat list puts them last to first (see analysis/flatten.hpp).
template <class D, std::size_t Size, class B, class... In>
struct tree {
    using desc = D;
    using binds = B;
    // (a type, not a static data member: see analysis/flatten.hpp)
    using size = std::integral_constant<std::size_t, Size>;
    [[no_unique_address]] payload_t<D> payload;
    [[no_unique_address]] ftuple<In...> in;
};

// Input I of a tree object.
template <std::size_t I, class D, std::size_t S, class B, class... In>
constexpr const auto& input_of(const tree<D, S, B, In...>& t) noexcept {
    return at<I>(t.in);
}

template <class T>
inline constexpr bool is_tree_v = false;
template <class D, std::size_t S, class B, class... In>
inline constexpr bool is_tree_v<tree<D, S, B, In...>> = true;

/// A tree of one node without inputs (a leaf, a constant, a handle).
template <class D>
using terminal_tree = tree<D, 1, void>;

template <class D, class P = payload_t<D>>
constexpr terminal_tree<D> make_terminal(const P& p = P{}) {
    return terminal_tree<D>{p, {}};
}

}  // namespace ctgrad::detail
