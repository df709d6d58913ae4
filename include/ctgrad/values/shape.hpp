#pragma once
/// @file
/// Shapes as types (`extents<E...>`) and NumPy broadcasting between them.
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

#include "scalar.hpp"

namespace ctgrad {

/// Extent meaning "length chosen at run time": `ctgrad::tensor<double, ctgrad::dyn>`.
inline constexpr std::size_t dyn = std::dynamic_extent;

template <class T, std::size_t... Extents>
struct tensor;

namespace detail {

/// extents<E...>: a shape as a type; `extents<>` is the shape of a scalar.
template <std::size_t... E>
struct extents {
    static constexpr std::size_t rank = sizeof...(E);
    static constexpr std::array<std::size_t, sizeof...(E)> dims{E...};
    static constexpr std::size_t count = (std::size_t{1} * ... * E);
};

// shape_of<V>: extents of a value type (scalars have rank 0).
template <class V>
struct shape_of_impl {
    using type = extents<>;
};
template <class T, std::size_t... E>
struct shape_of_impl<tensor<T, E...>> {
    using type = extents<E...>;
};
template <class V>
using shape_of = typename shape_of_impl<std::remove_cvref_t<V>>::type;

// element_of<V>: the scalar type inside a value type.
template <class V>
struct element_of_impl {
    using type = V;
};
template <class T, std::size_t... E>
struct element_of_impl<tensor<T, E...>> {
    using type = T;
};
template <class V>
using element_of = typename element_of_impl<std::remove_cvref_t<V>>::type;

// value_of<T, extents<E...>>: T for rank 0, tensor<T, E...> otherwise.
template <class T, class S>
struct value_of_impl;
template <class T>
struct value_of_impl<T, extents<>> {
    using type = T;
};
template <class T, std::size_t... E>
    requires(sizeof...(E) > 0)
struct value_of_impl<T, extents<E...>> {
    using type = tensor<T, E...>;
};
template <class T, class S>
using value_of = typename value_of_impl<T, S>::type;

template <class V>
inline constexpr bool is_tensor_v = shape_of<V>::rank > 0;

template <class V>
inline constexpr std::size_t count_of = shape_of<V>::count;

/// is_dyn_shape_v<S>: S is extents<dyn, C...>, the shape of a value whose first extent (its
/// length, or its rows) is chosen at run time: `tensor<T, dyn>` and `tensor<T, dyn, C...>`.
template <class S>
inline constexpr bool is_dyn_shape_v = false;
template <std::size_t... C>
inline constexpr bool is_dyn_shape_v<extents<dyn, C...>> = true;

/// tail_t<extents<E0, E...>> is extents<E...>: the shape of one row (extents<> for rank 1).
template <class S>
struct tail_impl {
    using type = extents<>;
};
template <std::size_t E0, std::size_t... E>
struct tail_impl<extents<E0, E...>> {
    using type = extents<E...>;
};
template <class S>
using tail_t = typename tail_impl<S>::type;
template <class V>
inline constexpr bool is_dyn_v = is_dyn_shape_v<shape_of<V>>;

/// The number of elements of a value: count_of<V>, or the run-time count of a dyn value.
template <class V>
constexpr std::size_t size_of(const V& v) noexcept {
    if constexpr (is_dyn_v<V>) return v.elems.size();
    else return (void)v, count_of<V>;
}

// Broadcast result of several shapes, as a constexpr description.
struct broadcast_result {
    bool ok = true;
    std::size_t rank = 0;
    std::array<std::size_t, 16> dims{};
};

template <class... S>
constexpr broadcast_result broadcast_dims() {
    broadcast_result r;
    ((r.rank = S::rank > r.rank ? S::rank : r.rank), ...);
    for (std::size_t d = 0; d < r.rank; ++d) r.dims[d] = 1;
    auto merge = [&r]<std::size_t... E>(extents<E...>) {
        constexpr std::size_t n = sizeof...(E);
        constexpr std::array<std::size_t, n> e{E...};
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t& out = r.dims[r.rank - n + i];
            if (out == 1) out = e[i];
            else if (e[i] == 1) continue;
            else if (e[i] == dyn || out == dyn) out = dyn;  // checked at run time
            else if (e[i] != out) r.ok = false;
        }
    };
    (merge(S{}), ...);
    // dyn is the first extent only (the rows): a dyn operand aligns with the result's first
    // extent, and broadcasts with operands of lower rank or of the same trailing extents.
    for (std::size_t d = 1; d < r.rank; ++d)
        if (r.dims[d] == dyn) r.ok = false;
    return r;
}

template <class... S>
inline constexpr bool broadcastable_v = broadcast_dims<S...>().ok;

template <class Seq, class... S>
struct broadcast_impl;
template <std::size_t... I, class... S>
struct broadcast_impl<std::index_sequence<I...>, S...> {
    static constexpr broadcast_result r = broadcast_dims<S...>();
    using type = extents<r.dims[I]...>;
};
/// broadcast_t<S...>: the broadcast shape (only valid when broadcastable_v<S...>).
template <class... S>
using broadcast_t =
    typename broadcast_impl<std::make_index_sequence<broadcast_dims<S...>().rank>, S...>::type;

/// Flat index into an operand of shape In for flat index j of the broadcast shape Out.
template <class Out, class In>
constexpr std::size_t src_index(std::size_t j) {
    if constexpr (std::is_same_v<Out, In>) {
        return j;
    } else if constexpr (In::count == 1) {
        return 0;
    } else if constexpr (is_dyn_shape_v<Out>) {
        // row j / R, position j % R in it (R elements per row); an operand of lower rank is one
        // row broadcast over all rows, one of equal rank has its own rows (or one row: extent 1).
        // A dyn operand is taken to have the result's rows here: see src_index_of.
        using Tail = tail_t<Out>;
        const std::size_t r = j % Tail::count;
        if constexpr (In::rank < Out::rank) {
            return src_index<Tail, In>(r);
        } else {
            const std::size_t row = In::dims[0] == 1 ? 0 : j / Tail::count;
            return row * tail_t<In>::count + src_index<Tail, tail_t<In>>(r);
        }
    } else {
        std::size_t src = 0, in_stride = 1;
        for (std::size_t k = 0; k < Out::rank; ++k) {
            const std::size_t d = Out::rank - 1 - k;  // walk from the right
            const std::size_t coord = j % Out::dims[d];
            j /= Out::dims[d];
            if (k < In::rank) {
                const std::size_t in_extent = In::dims[In::rank - 1 - k];
                if (in_extent != 1) src += coord * in_stride;
                in_stride *= in_extent;
            }
        }
        return src;
    }
}

/// Flat index into operand value `v` for flat index j of the broadcast shape Out: src_index,
/// except that a dyn operand of one row at run time broadcasts over the rows like a fixed 1.
template <class Out, class V>
constexpr std::size_t src_index_of(std::size_t j, const V& v) {
    using In = shape_of<V>;
    if constexpr (is_dyn_shape_v<Out> && is_dyn_shape_v<In>) {
        using Tail = tail_t<Out>;
        if (v.elems.size() == tail_t<In>::count) return src_index<Tail, tail_t<In>>(j % Tail::count);
    }
    return src_index<Out, In>(j);
}

/// The number of rows of operand `a` as it meets a result of dyn shape S: 1 when it broadcasts
/// over the rows (lower rank, first extent 1, or a dyn operand of one row at run time).
template <class S, class V>
constexpr std::size_t rows_for(const V& a) {
    using In = shape_of<V>;
    if constexpr (In::rank < S::rank) return (void)a, 1;
    else if constexpr (is_dyn_shape_v<In>) return tail_t<In>::count ? a.elems.size() / tail_t<In>::count : 0;
    else return (void)a, In::dims[0];
}

// Shape rules of the products. Each is a variable template over the operand shapes, so that a
// failed static_assert on it prints both shapes (Clang on the error line, GCC in the note after).

/// matmul_shape<SA, SB>: `ok` when [m, k] x [k, n] or [m, k] x [k]; `type` is the result shape.
template <class SA, class SB>
struct matmul_shape {
    static constexpr bool ok = false;
    using type = extents<>;
};
template <std::size_t M, std::size_t K, std::size_t N>
struct matmul_shape<extents<M, K>, extents<K, N>> {
    static constexpr bool ok = true;
    using type = extents<M, N>;
};
// (M may be dyn: X of n rows x K times W or w gives n rows.)
template <std::size_t M, std::size_t K>
struct matmul_shape<extents<M, K>, extents<K>> {
    static constexpr bool ok = true;
    using type = extents<M>;
};
template <class SA, class SB>
inline constexpr bool matmul_compatible_v = matmul_shape<SA, SB>::ok;

/// dot: two rank-1 shapes of equal length.
template <class SA, class SB>
inline constexpr bool dot_compatible_v =
    SA::rank == 1 && SB::rank == 1 &&
    (std::is_same_v<SA, SB> || is_dyn_shape_v<SA> || is_dyn_shape_v<SB>);

/// transpose: a rank-2 shape; transposed_t<extents<M, N>> is extents<N, M>.
template <class S>
inline constexpr bool is_matrix_shape_v = S::rank == 2;
template <class S>
struct transposed_impl {
    using type = S;
};
template <std::size_t M, std::size_t N>
struct transposed_impl<extents<M, N>> {
    using type = extents<N, M>;
};
template <class S>
using transposed_t = typename transposed_impl<S>::type;

/// Indexing: a shape indexed with Count indices (one per extent, rank at least 1).
template <class S, std::size_t Count>
inline constexpr bool index_count_ok_v = S::rank >= 1 && S::rank == Count;

/// stack: every operand is a scalar (rank 0).
template <class... S>
inline constexpr bool all_scalar_shapes_v = ((S::rank == 0) && ...);

}  // namespace detail
}  // namespace ctgrad
