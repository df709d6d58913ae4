#pragma once
/// @file
/// Products and layout: `dot`, `matmul` (2-D x 2-D and 2-D x 1-D; the left operand may have
/// run-time rows) and `transpose` (rank 2, fixed). Each op states its value rule and its reverse rule side by side; on plain tensors
/// the functions are eager.
///
/// Reverse rules, for the result's adjoint G:
///   dot(a, b):    da += G b,     db += G a
///   matmul(A, B): dA += G B^T,   dB += A^T G     (for B a vector: dA += G b^T, db += A^T G)
///   transpose(A): dA += G^T
#include <array>
#include <cstddef>
#include <type_traits>

#include "../diagnostics.hpp"
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"
#include "arithmetic.hpp"

namespace ctgrad {
namespace detail {

template <class A, class B>
using product_element = std::common_type_t<element_of<A>, element_of<B>>;

template <class A, class B>
constexpr product_element<A, B> dot_value(const A& a, const B& b) {
    using T = product_element<A, B>;
    T r = zero_of<T>();
    if constexpr (is_dyn_v<A> || is_dyn_v<B>) check_length(CTGRAD_MSG_LENGTH_DOT, size_of(a), size_of(b));
    for (std::size_t i = 0; i < size_of(a); ++i)
        r = r + static_cast<T>(a.elems[i]) * static_cast<T>(b.elems[i]);
    return r;
}

template <class A, class B>
using matmul_result = value_of<product_element<A, B>,
                               typename matmul_shape<shape_of<A>, shape_of<B>>::type>;

// The rows of a matmul's left operand: fixed, or chosen at run time (X of n rows x K).
template <class A>
constexpr std::size_t matmul_rows(const A& a) {
    if constexpr (is_dyn_v<A>) return size_of(a) / shape_of<A>::dims[1];
    else return (void)a, shape_of<A>::dims[0];
}

template <class A, class B>
constexpr matmul_result<A, B> matmul_value(const A& a, const B& b) {
    using T = product_element<A, B>;
    constexpr std::size_t K = shape_of<A>::dims[1];
    const std::size_t M = matmul_rows(a);
    matmul_result<A, B> out;  // every element is written below: not zeroed first
    constexpr std::size_t N = shape_of<B>::rank == 2 ? shape_of<B>::dims[1] : 1;
    if constexpr (is_dyn_v<A>) out.elems.assign(M * N, zero_of<T>());
    // (a vector b is one column: b[p] is B[p, 0])
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            T acc = sum_origin<T>();  // K, N, M >= 1 terms
            for (std::size_t p = 0; p < K; ++p)
                acc = acc + static_cast<T>(a.elems[i * K + p]) * static_cast<T>(b.elems[p * N + j]);
            out.elems[i * N + j] = acc;
        }
    return out;
}

template <class A>
using transpose_result = value_of<element_of<A>, transposed_t<shape_of<A>>>;

template <class A>
constexpr transpose_result<A> transpose_value(const A& a) {
    constexpr std::size_t M = shape_of<A>::dims[0], N = shape_of<A>::dims[1];
    transpose_result<A> out{};
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) out.elems[j * M + i] = a.elems[i * N + j];
    return out;
}

struct dot_op {
    static constexpr op_info info{.label = "dot"};
    template <class A, class B>
    using result = product_element<A, B>;
    template <class S, class Ctx, class A, class B>
    static constexpr void forward(none, S& s, Ctx&, const A& a, const B& b) {
        s.v = dot_value(a, b);
    }
    template <class S, class G, class Ctx, class InA, class InB>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const InA& a, const InB& b) {
        const std::size_t n = size_of(a.value);  // equal to b's (checked by the forward sweep)
        if constexpr (InA::active)
            for (std::size_t i = 0; i < n; ++i) a.adj->elems[i] += g * static_cast<G>(b.value.elems[i]);
        if constexpr (InB::active)
            for (std::size_t i = 0; i < n; ++i) b.adj->elems[i] += g * static_cast<G>(a.value.elems[i]);
    }
};

struct matmul_op {
    // Every element of each input's adjoint gets exactly one contribution: the first assigns.
    static constexpr op_info info{.label = "matmul", .assigns_first = true};
    template <class A, class B>
    using result = matmul_result<A, B>;
    template <class S, class Ctx, class A, class B>
    static constexpr void forward(none, S& s, Ctx&, const A& a, const B& b) {
        s.v = matmul_value(a, b);
    }
    template <class S, class G, class Ctx, class InA, class InB>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const InA& a, const InB& b) {
        using T = element_of<G>;
        using SA = shape_of<decltype(a.value)>;
        using SB = shape_of<decltype(b.value)>;
        constexpr std::size_t K = SA::dims[1];
        constexpr std::size_t N = SB::rank == 2 ? SB::dims[1] : 1;  // a vector is one column
        // With B a vector, B[p, 0] = b[p] and G[i, 0] = g[i]: the same loops as for matrices.
        const std::size_t M = matmul_rows(a.value);
        if constexpr (InA::active) {
            // dA[i, p] += sum_j G[i, j] B[p, j]
            for (std::size_t i = 0; i < M; ++i)
                for (std::size_t p = 0; p < K; ++p) {
                    T acc = sum_origin<T>();  // K, N, M >= 1 terms
                    for (std::size_t j = 0; j < N; ++j)
                        acc = acc + g.elems[i * N + j] * static_cast<T>(b.value.elems[p * N + j]);
                    if constexpr (InA::first) a.adj->elems[i * K + p] = acc;
                    else a.adj->elems[i * K + p] += acc;
                }
        }
        if constexpr (InB::active && is_dyn_v<decltype(a.value)> && K * N <= 256) {
            // run-time rows: one pass over A's rows (contiguous), the K x N sums kept in locals
            std::array<T, K * N> acc;
            acc.fill(sum_origin<T>());
            for (std::size_t i = 0; i < M; ++i)
                for (std::size_t p = 0; p < K; ++p) {
                    const T x = static_cast<T>(a.value.elems[i * K + p]);
                    for (std::size_t j = 0; j < N; ++j) acc[p * N + j] = acc[p * N + j] + x * g.elems[i * N + j];
                }
            for (std::size_t q = 0; q < K * N; ++q) {
                if constexpr (InB::first) b.adj->elems[q] = acc[q];
                else b.adj->elems[q] += acc[q];
            }
        } else if constexpr (InB::active) {
            // dB[p, j] += sum_i A[i, p] G[i, j]
            for (std::size_t p = 0; p < K; ++p)
                for (std::size_t j = 0; j < N; ++j) {
                    T acc = sum_origin<T>();  // K, N, M >= 1 terms
                    for (std::size_t i = 0; i < M; ++i)
                        acc = acc + static_cast<T>(a.value.elems[i * K + p]) * g.elems[i * N + j];
                    if constexpr (InB::first) b.adj->elems[p * N + j] = acc;
                    else b.adj->elems[p * N + j] += acc;
                }
        }
    }
};

struct transpose_op {
    // adjoints written by contribute()
    static constexpr op_info info{.label = "transpose", .assigns_first = true};
    template <class A>
    using result = transpose_result<A>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.v = transpose_value(a); }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) contribute(in, transpose_value(g));
    }
};

template <class A, class B>
concept product_operands = (expression<A> || expression<B>) && operand<A> && operand<B>;
template <class A, class B>
concept eager_product_operands = is_tensor_v<A> && is_tensor_v<B> && plain_value<A> &&
                                 plain_value<B>;

// The bodies of dot, matmul and transpose (one per overload set of graph/overloads.hpp).
template <class A, class B>
constexpr auto dot_node(A&& a, B&& b) {
    static_assert(detail::dot_compatible_v<detail::shape_of<value_t<A>>, detail::shape_of<value_t<B>>>,
                  CTGRAD_MSG_DOT_SHAPE);
    if constexpr (detail::dot_compatible_v<detail::shape_of<value_t<A>>, detail::shape_of<value_t<B>>>)
        return detail::make_node<detail::dot_op>(detail::none{}, static_cast<A&&>(a), static_cast<B&&>(b));
    else
        return detail::none{};
}

template <class A, class B>
constexpr auto matmul_node(A&& a, B&& b) {
    static_assert(
        detail::matmul_compatible_v<detail::shape_of<value_t<A>>, detail::shape_of<value_t<B>>>,
        CTGRAD_MSG_MATMUL_SHAPE);
    if constexpr (detail::matmul_compatible_v<detail::shape_of<value_t<A>>,
                                              detail::shape_of<value_t<B>>>)
        return detail::make_node<detail::matmul_op>(detail::none{}, static_cast<A&&>(a),
                                                    static_cast<B&&>(b));
    else
        return detail::none{};
}

template <class E>
constexpr auto transpose_node(E&& e) {
    static_assert(detail::is_matrix_shape_v<detail::shape_of<value_t<E>>>, CTGRAD_MSG_TRANSPOSE_SHAPE);
    if constexpr (detail::is_matrix_shape_v<detail::shape_of<value_t<E>>>)
        return detail::make_node<detail::transpose_op>(detail::none{}, static_cast<E&&>(e));
    else
        return detail::none{};
}

}  // namespace detail

/// Inner product of two rank-1 operands of equal length: a scalar expression.
/// Example: `auto s = ctgrad::dot(x, w);  // ds/dx = w, ds/dw = x`
CTGRAD_DETAIL_BINARY(dot, detail::product_operands,
                     return detail::dot_node(static_cast<a_type&&>(a), static_cast<b_type&&>(b));)

/// Eager inner product of two plain rank-1 tensors.
template <class A, class B>
    requires detail::eager_product_operands<A, B>
constexpr auto dot(const A& a, const B& b) {
    static_assert(detail::dot_compatible_v<detail::shape_of<A>, detail::shape_of<B>>,
                  CTGRAD_MSG_DOT_SHAPE);
    if constexpr (detail::dot_compatible_v<detail::shape_of<A>, detail::shape_of<B>>)
        return detail::dot_value(a, b);
    else
        return detail::none{};
}

/// Matrix product, [m, k] x [k, n] -> [m, n] or [m, k] x [k] -> [m]; lazy. `m` may be `dyn`:
/// a data matrix X of n rows times w (k) gives n values, times W (k x h) gives n x h.
/// Example: `auto z = ctgrad::matmul(x, W) + b;`
CTGRAD_DETAIL_BINARY(matmul, detail::product_operands,
                     return detail::matmul_node(static_cast<a_type&&>(a), static_cast<b_type&&>(b));)

/// Eager matrix product of two plain tensors; returns a tensor.
template <class A, class B>
    requires detail::eager_product_operands<A, B>
constexpr auto matmul(const A& a, const B& b) {
    static_assert(detail::matmul_compatible_v<detail::shape_of<A>, detail::shape_of<B>>,
                  CTGRAD_MSG_MATMUL_SHAPE);
    if constexpr (detail::matmul_compatible_v<detail::shape_of<A>, detail::shape_of<B>>)
        return detail::matmul_value(a, b);
    else
        return detail::none{};
}

/// Transpose of a rank-2 operand; lazy. Example: `auto g = ctgrad::matmul(ctgrad::transpose(a), b);`
CTGRAD_DETAIL_UNARY((), transpose, expression, return detail::transpose_node(static_cast<e_type&&>(e));)

/// Eager transpose of a plain rank-2 tensor.
template <detail::plain_value V>
constexpr auto transpose(const V& v) {
    static_assert(detail::is_matrix_shape_v<detail::shape_of<V>>, CTGRAD_MSG_TRANSPOSE_SHAPE);
    if constexpr (detail::is_matrix_shape_v<detail::shape_of<V>>)
        return detail::transpose_value(v);
    else
        return detail::none{};
}

}  // namespace ctgrad
