#pragma once
/// @file
/// Indexing and assembling: `at(e, i, ...)` picks one element of an expression as a scalar
/// expression (what `e[i]` and `e(i, j, ...)` forward to), and `stack(e0, e1, ...)` makes a
/// rank-1 expression of scalar expressions. Each op states its value rule and its reverse rule.
///
/// Reverse rules, for the result's adjoint g:
///   at(x, i...):        dx[i...] += g        (nothing flows into the other elements)
///   stack(e0, ..., en): de_k += g[k]
#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "../diagnostics.hpp"
#include "../graph/expr.hpp"
#include "arithmetic.hpp"

namespace ctgrad {
namespace detail {

/// Payload of an index node: the flat row-major position of the selected element.
struct flat_index {
    std::size_t i = 0;
};

[[noreturn]] inline void index_out_of_range(std::size_t dim, const std::string& index,
                                            std::size_t extent) {
    raise<std::out_of_range>(CTGRAD_MSG_AT_RANGE_PREFIX + index +
                             " is out of range for extent " + std::to_string(extent) +
                             " of dimension " + std::to_string(dim));
}

/// The flat position of multi-index i... in shape S; throws std::out_of_range when outside.
template <class S, std::integral... I>
constexpr std::size_t checked_flat_index(I... i) {
    std::size_t f = 0, d = 0;
    (
        [&](auto k) {
            const std::size_t n = S::dims[d];
            if (std::cmp_less(k, 0) || std::cmp_greater_equal(k, n)) {
                if (std::is_constant_evaluated())
                    raise<std::out_of_range>(CTGRAD_MSG_AT_RANGE);
                else
                    index_out_of_range(d, std::to_string(k), n);
            }
            f = f * n + static_cast<std::size_t>(k);
            ++d;
        }(i),
        ...);
    return f;
}

struct index_op {
    // printed with its indices: at(x0, 1, 2)
    static constexpr op_info info{.label = "at"};
    using payload = flat_index;
    template <class V>
    using result = element_of<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(const flat_index& p, S& s, Ctx&, const A& a) {
        if constexpr (is_dyn_v<A>) (void)checked_dyn_index(p.i, a.elems.size());
        s.v = a.elems[p.i];
    }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(const flat_index& p, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) in.adj->elems[p.i] += g;
    }
};

struct stack_op {
    static constexpr op_info info{.label = "stack"};
    template <class... V>
    using result = tensor<std::common_type_t<element_of<V>...>, sizeof...(V)>;
    template <class S, class Ctx, class... A>
    static constexpr void forward(none, S& s, Ctx&, const A&... a) {
        using T = typename std::remove_cvref_t<decltype(s.get())>::value_type;
        std::size_t k = 0;
        ((s.v.elems[k++] = static_cast<T>(a)), ...);
    }
    template <class S, class G, class Ctx, class... In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In&... in) {
        std::size_t k = 0;
        (
            [&] {
                if constexpr (In::active) *in.adj += g.elems[k];
                ++k;
            }(),
            ...);
    }
};

template <class V, class... I>
inline constexpr bool index_count_ok = index_count_ok_v<shape_of<V>, sizeof...(I)>;

template <class S>
struct row_shape;
template <std::size_t E0, std::size_t... E>
struct row_shape<extents<E0, E...>> {
    using type = extents<E...>;
};

// Row i of a tensor of rank >= 2 (what e[i] gives there, as in NumPy): the elements from the row's
// first flat position on, as many as one row holds.
//   row(x, i):          dx[i, ...] += g       (nothing flows into the other rows)
struct row_op {
    static constexpr op_info info{.label = "row"};
    using payload = flat_index;  // the flat position of the row's first element
    template <class V>
    using result = value_of<element_of<V>, typename row_shape<shape_of<V>>::type>;
    template <class S, class Ctx, class A>
    static constexpr void forward(const flat_index& p, S& s, Ctx&, const A& a) {
        constexpr std::size_t n = count_of<result<A>>;
        if constexpr (is_dyn_v<A>) (void)checked_dyn_index(p.i / n, size_of(a) / n);  // run-time rows
        for (std::size_t k = 0; k < n; ++k) s.v.elems[k] = a.elems[p.i + k];
    }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(const flat_index& p, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active)
            for (std::size_t k = 0; k < count_of<G>; ++k) in.adj->elems[p.i + k] += g.elems[k];
    }
};

}  // namespace detail

/// One element of a tensor-valued expression as a scalar expression: `at(e, i)` for rank 1,
/// `at(e, i, j, ...)` with one index per extent. The gradient flows into that element only. An
/// index out of range throws std::out_of_range when the expression is built.
/// Example: `auto y = ctgrad::at(x, 0) * ctgrad::at(x, 2);`
template <expression E, std::integral... I>
constexpr auto at(E&& e, I... i) {
    static_assert(detail::index_count_ok<value_t<E>, I...>, CTGRAD_MSG_INDEX_COUNT);
    if constexpr (detail::index_count_ok<value_t<E>, I...>)
        return detail::make_node<detail::index_op>(
            detail::flat_index{detail::checked_flat_index<detail::shape_of<value_t<E>>>(i...)},
            static_cast<E&&>(e));
    else
        return detail::none{};
}
/// `e[i]` on a leaf, expression or handle: element i of a rank-1 value (as `at(e, i)`), row i of a
/// value of rank 2 or more (a tensor of the remaining extents, as in NumPy). The gradient flows
/// into that element or row only; an index out of range throws std::out_of_range when the
/// expression is built. Example: `auto r = W[1];  // W: leaf<tensor<double, 3, 2>>, r: 2 values`
template <expression E, std::integral I>
constexpr auto subscript(E&& e, I i) {
    using S = detail::shape_of<value_t<E>>;
    if constexpr (S::rank < 2) {
        return at(static_cast<E&&>(e), i);
    } else {
        const std::size_t first = detail::checked_flat_index<detail::extents<S::dims[0]>>(i);
        // (a row holds tail_t<S>::count elements; with run-time rows the index is checked when
        // the expression is evaluated)
        return detail::make_node<detail::row_op>(detail::flat_index{first * detail::tail_t<S>::count},
                                                 static_cast<E&&>(e));
    }
}

/// Eager: one element of a plain tensor, by value.
template <detail::plain_value V, std::integral... I>
constexpr auto at(const V& v, I... i) {
    static_assert(detail::index_count_ok<V, I...>, CTGRAD_MSG_INDEX_COUNT);
    if constexpr (!detail::index_count_ok<V, I...>) {
        return detail::none{};
    } else if constexpr (detail::is_dyn_v<V> && detail::shape_of<V>::rank == 1) {
        return [&](auto k) { return v[k]; }(i...);  // checked against the run-time length
    } else if constexpr (detail::is_dyn_v<V>) {
        return v(i...);  // checked against the run-time rows
    } else {
        return v.elems[detail::checked_flat_index<detail::shape_of<V>>(i...)];
    }
}

/// A rank-1 expression of N scalar operands (expressions or plain scalars); the gradient's
/// element k flows into operand k. Example: `auto v = ctgrad::stack(x * y, x + y, 1.0);`
template <class... E>
    requires(sizeof...(E) > 0 && (expression<E> || ...) && (detail::operand<E> && ...))
constexpr auto stack(E&&... e) {
    static_assert(detail::all_scalar_shapes_v<detail::shape_of<value_t<E>>...>,
                  CTGRAD_MSG_STACK_SHAPE);
    if constexpr (detail::all_scalar_shapes_v<detail::shape_of<value_t<E>>...>)
        return detail::make_node<detail::stack_op>(detail::none{}, static_cast<E&&>(e)...);
    else
        return detail::none{};
}
/// Eager: a rank-1 tensor of plain scalars (converted to their common type).
template <class... E>
    requires(sizeof...(E) > 0 && (detail::plain_value<E> && ...))
constexpr auto stack(const E&... e) {
    static_assert(detail::all_scalar_shapes_v<detail::shape_of<E>...>, CTGRAD_MSG_STACK_SHAPE);
    using T = std::common_type_t<detail::element_of<E>...>;
    if constexpr (detail::all_scalar_shapes_v<detail::shape_of<E>...>)
        return tensor<T, sizeof...(E)>{static_cast<T>(e)...};
    else
        return detail::none{};
}

}  // namespace ctgrad
