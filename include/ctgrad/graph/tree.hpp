#pragma once
/// @file
/// The build-time representation of an expression's structure: a tree of stateless node types.
///
/// A tree node is an empty struct whose template arguments are its descriptor (op, value type,
/// requires_grad, input offsets), its subtree size, and its inputs' trees, all computed when the
/// node is formed from its inputs' arguments: forming a node instantiates one small class,
/// whatever the size of the expression below it. The run-time data (leaf pointers, constants)
/// lives beside it in the expression's payload store (graph/store.hpp). The flat programs the
/// evaluator runs are derived from the tree type once per evaluated expression
/// (analysis/flatten.hpp).
#include <cstddef>
#include <type_traits>

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
};

/// A tree of one node without inputs (a leaf, a constant, a handle).
template <class D>
using terminal_tree = tree<D, 1, void>;

}  // namespace ctgrad::detail
