#pragma once
/// @file
/// `ctgrad::tensor<T, Extents...>`: a dense, row-major, fixed-shape value with no heap.
/// (`tensor<T, ctgrad::dyn>`, the rank-1 tensor of run-time length, and `tensor<T, ctgrad::dyn,
/// C...>`, the matrix of run-time rows, are in dyn.hpp.)
#include <array>
#include <cstddef>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "../config.hpp"
#include "../diagnostics.hpp"
#include "shape.hpp"

namespace ctgrad {

/// A dense row-major tensor whose shape is part of its type.
///
/// An aggregate: initialise it from a flat row-major list of elements; `tensor<T, E...> t{}` is
/// all zeros. Rank-1 tensors deduce their extent. Operators between plain tensors and scalars
/// are eager and broadcast as NumPy does.
/// @code
/// constexpr ctgrad::tensor v{1.0, 2.0, 3.0};                 // tensor<double, 3>
/// constexpr ctgrad::tensor<double, 2, 2> m{1.0, 2.0, 3.0, 4.0};
/// static_assert(m(1, 0) == 3.0 && v[2] == 3.0);
/// @endcode
template <class T, std::size_t... Extents>
struct tensor {
    static_assert(sizeof...(Extents) >= 1, CTGRAD_MSG_TENSOR_RANK0);
    static_assert(((Extents != dyn) && ...), CTGRAD_MSG_TENSOR_DYN_RANK);

    /// The element type.
    using value_type = T;
    /// The shape as a type (internal representation).
    using shape_type = detail::extents<Extents...>;
    /// The number of extents.
    static constexpr std::size_t rank = sizeof...(Extents);

    /// The elements, row-major. Public so that the tensor is an aggregate. (No elements after a
    /// failed assertion above: one error, not a second one about the array's size.)
    std::array<T, ((Extents != dyn) && ...) ? shape_type::count : 0> elems;

    /// Number of elements. Example: `static_assert(ctgrad::tensor{1.0, 2.0}.size() == 2);`
    static constexpr std::size_t size() noexcept { return shape_type::count; }
    /// The extents, outermost first.
    static constexpr std::array<std::size_t, rank> shape() noexcept { return shape_type::dims; }

    /// Iteration over the elements in row-major order.
    constexpr T* begin() noexcept { return elems.data(); }
    /// End of the elements.
    constexpr T* end() noexcept { return elems.data() + size(); }
    /// Iteration over the elements in row-major order.
    constexpr const T* begin() const noexcept { return elems.data(); }
    /// End of the elements.
    constexpr const T* end() const noexcept { return elems.data() + size(); }
    /// Pointer to the first element.
    constexpr T* data() noexcept { return elems.data(); }
    /// Pointer to the first element.
    constexpr const T* data() const noexcept { return elems.data(); }

    /// Element `i` of a rank-1 tensor; throws std::out_of_range past the end.
    template <std::integral I>
    constexpr T& operator[](I i) {
        static_assert(rank == 1, CTGRAD_MSG_TENSOR_SUBSCRIPT);
        return elems[checked(i, size())];
    }
    /// Element `i` of a rank-1 tensor (read-only).
    template <std::integral I>
    constexpr const T& operator[](I i) const {
        static_assert(rank == 1, CTGRAD_MSG_TENSOR_SUBSCRIPT);
        return elems[checked(i, size())];
    }

    /// Element at a multi-index (one index per extent); throws std::out_of_range when outside.
    template <std::integral... I>
    constexpr T& operator()(I... i) {
        return elems[flat(i...)];
    }
    /// Element at a multi-index (read-only).
    template <std::integral... I>
    constexpr const T& operator()(I... i) const {
        return elems[flat(i...)];
    }

    /// Elementwise equality of two tensors of the same type, as one `bool` (`!=` follows).
    friend constexpr bool operator==(const tensor& a, const tensor& b) {
        for (std::size_t i = 0; i < size(); ++i)
            if (!(a.elems[i] == b.elems[i])) return false;
        return true;
    }

    /// Prints `[4, 6, 8]`, and `[[1, 2], [3, 4]]` for rank 2.
    friend std::ostream& operator<<(std::ostream& os, const tensor& t) {
        std::size_t i = 0;
        print(os, t, 0, i);
        return os;
    }

private:
    template <class I>
    static constexpr std::size_t checked(I i, std::size_t n) {
        if (std::cmp_less(i, 0) || std::cmp_greater_equal(i, n))
            detail::raise<std::out_of_range>(CTGRAD_MSG_TENSOR_RANGE);
        return static_cast<std::size_t>(i);
    }
    template <class... I>
    static constexpr std::size_t flat(I... i) {
        static_assert(sizeof...(I) == rank, CTGRAD_MSG_TENSOR_INDEX_COUNT);
        std::size_t f = 0, d = 0;
        ((f = f * shape_type::dims[d] + checked(i, shape_type::dims[d]), ++d), ...);
        return f;
    }
    static void print(std::ostream& os, const tensor& t, std::size_t dim, std::size_t& i) {
        os << '[';
        for (std::size_t k = 0; k < shape_type::dims[dim]; ++k) {
            if (k) os << ", ";
            if (dim + 1 == rank) os << t.elems[i++];
            else print(os, t, dim + 1, i);
        }
        os << ']';
    }
};

/// Deduction: `tensor{1.0, 2.0, 3.0}` is `tensor<double, 3>`.
template <class T, class... U>
    requires(scalar<T> && (std::is_same_v<T, U> && ...))
tensor(T, U...) -> tensor<T, 1 + sizeof...(U)>;
/// Deduction: `tensor{std::array<T, N>{...}}` is `tensor<T, N>`.
template <class T, std::size_t N>
tensor(std::array<T, N>) -> tensor<T, N>;

}  // namespace ctgrad

#include "dyn.hpp"

namespace ctgrad {
namespace detail {

template <class V>
constexpr decltype(auto) elem(const V& v, std::size_t i) {
    if constexpr (is_tensor_v<V>) return v.elems[i];
    else return (void)i, v;
}
template <class V>
constexpr decltype(auto) elem(V& v, std::size_t i) {
    if constexpr (is_tensor_v<V>) return (v.elems[i]);
    else return (void)i, (v);
}

/// A value of type V with every element equal to `s` (for a dyn V: empty; see filled_like).
template <class V, class S>
constexpr V filled(const S& s) {
    if constexpr (is_tensor_v<V>) {
        V v{};
        for (auto& e : v.elems) e = s;
        return v;
    } else {
        return V(s);
    }
}
template <class V>
constexpr V zeros() { return filled<V>(zero_of<element_of<V>>()); }

/// A value of type V shaped like `like` (same run-time length when dyn), every element `s`.
template <class V, class L, class S>
constexpr V filled_like(const L& like, const S& s) {
    if constexpr (is_dyn_v<V>) {
        V v;
        v.elems.assign(size_of(like), s);
        return v;
    } else {
        return (void)like, filled<V>(s);
    }
}
/// Zeros shaped like `v` (a dyn value's zeros have its run-time length).
template <class V>
constexpr std::remove_cvref_t<V> zeros_like(const V& v) {
    using U = std::remove_cvref_t<V>;
    return filled_like<U>(v, zero_of<element_of<U>>());
}
/// Sets every element of `v` to zero, keeping its length.
template <class V>
constexpr void zero_fill(V& v) {
    if constexpr (is_tensor_v<V>) {
        for (auto& e : v.elems) e = zero_of<element_of<V>>();
    } else {
        v = zero_of<V>();
    }
}

/// The run-time rows of the result of an elementwise operation whose result shape S is dyn: the
/// rows of every operand that does not broadcast over them (see rows_for) must agree, else it
/// throws naming both counts. Operands of one row broadcast; with only those, one row.
template <class S, class... A>
constexpr std::size_t common_rows(const A&... a) {
    std::size_t n = 1;
    bool found = false;
    (
        [&] {
            const std::size_t m = rows_for<S>(a);
            if (m == 1) return;
            if (!found) n = m, found = true;
            else check_length(CTGRAD_MSG_LENGTH_ELEMENTWISE, n, m);
        }(),
        ...);
    return n;
}

/// Apply `f` elementwise with broadcasting; rank-0 results are plain scalars.
template <class F, class... A>
constexpr auto map(F f, const A&... a) {
    using S = broadcast_t<shape_of<A>...>;
    using R = std::remove_cvref_t<decltype(f(elem(a, 0)...))>;
    if constexpr (S::rank == 0) {
        return f(a...);
    } else if constexpr (is_dyn_shape_v<S>) {
        const std::size_t n = common_rows<S>(a...) * tail_t<S>::count;
        value_of<R, S> out;
        out.elems.reserve(n);
        for (std::size_t j = 0; j < n; ++j) out.elems.push_back(f(elem(a, src_index_of<S>(j, a))...));
        return out;
    } else {
        value_of<R, S> out;  // every element is written below: not zeroed first
        for (std::size_t j = 0; j < S::count; ++j)
            out.elems[j] = f(elem(a, src_index<S, shape_of<A>>(j))...);
        return out;
    }
}

// Asked of every operand of every operator, expressions included: no variable template here (a
// variable whose name spells an expression's tree is mangled by the compiler at a cost that grows
// with the tree), only the rank of its shape, a static member of a small class.
template <class T>
concept plain_value = scalar<std::remove_cvref_t<T>> || (shape_of<T>::rank > 0);

}  // namespace detail

// Eager arithmetic between plain tensors and scalars (at least one tensor).
/// @fn ctgrad::operator+(const A& a, const B& b)
/// Eager elementwise sum of plain tensors and scalars (at least one tensor), broadcasting;
/// returns a tensor. Example: `tensor{1.0, 2.0} + 1.0 == tensor{2.0, 3.0}`

/// @fn ctgrad::operator-(const A& a, const B& b)
/// Eager elementwise difference of plain tensors and scalars, broadcasting.

/// @fn ctgrad::operator*(const A& a, const B& b)
/// Eager elementwise product of plain tensors and scalars, broadcasting.

/// @fn ctgrad::operator/(const A& a, const B& b)
/// Eager elementwise quotient of plain tensors and scalars, broadcasting.

#define CTGRAD_EAGER_BINARY(OP)                                                               \
    template <class A, class B>                                                              \
        requires(detail::plain_value<A> && detail::plain_value<B> &&                         \
                 (detail::is_tensor_v<A> || detail::is_tensor_v<B>))                         \
    constexpr auto operator OP(const A& a, const B& b) {                                     \
        static_assert(detail::broadcastable_v<detail::shape_of<A>, detail::shape_of<B>>,     \
                      CTGRAD_MSG_SHAPE_MISMATCH);                                             \
        return detail::map([](const auto& x, const auto& y) { return x OP y; }, a, b);       \
    }
#include "../diagnostics.hpp"
CTGRAD_EAGER_BINARY(+)
CTGRAD_EAGER_BINARY(-)
CTGRAD_EAGER_BINARY(*)
CTGRAD_EAGER_BINARY(/)
#undef CTGRAD_EAGER_BINARY

/// Eager elementwise negation of a plain tensor.
template <class T, std::size_t... E>
constexpr tensor<T, E...> operator-(const tensor<T, E...>& a) {
    return detail::map([](const T& x) { return -x; }, a);
}

namespace detail {
/// `f(a_i, b_i)` for every element i of `a`, in place. `b` is a scalar (applied to every
/// element) or a value of `a`'s shape; a dyn pair of different lengths throws naming both.
template <class A, class B, class F>
constexpr A& compound(A& a, const B& b, const char* what, F f) {
    static_assert(shape_of<B>::rank == 0 || std::is_same_v<shape_of<B>, shape_of<A>>,
                  CTGRAD_MSG_COMPOUND_SHAPE);
    if constexpr (is_dyn_v<A> && is_tensor_v<B>) check_length(what, size_of(a), size_of(b));
    for (std::size_t i = 0; i < size_of(a); ++i) f(a.elems[i], elem(b, i));
    return a;
}
}  // namespace detail

/// Elementwise `a += b` in place, for `b` a scalar or a tensor of `a`'s shape (no
/// broadcasting of other shapes: it could not change `a`'s type). For `tensor<T, dyn>` both
/// lengths must be equal, else std::invalid_argument names them.
/// Example: `w.value() -= lr * w.grad();` for a tensor leaf `w`.
template <class T, std::size_t... E, class B>
    requires detail::plain_value<B>
constexpr tensor<T, E...>& operator+=(tensor<T, E...>& a, const B& b) {
    return detail::compound(a, b, "tensor +=", [](T& x, const auto& y) { x += y; });
}
/// Elementwise `a -= b` in place (`b` a scalar or a tensor of `a`'s shape); see operator+=.
template <class T, std::size_t... E, class B>
    requires detail::plain_value<B>
constexpr tensor<T, E...>& operator-=(tensor<T, E...>& a, const B& b) {
    return detail::compound(a, b, "tensor -=", [](T& x, const auto& y) { x -= y; });
}
/// Elementwise `a *= b` in place (`b` a scalar or a tensor of `a`'s shape); see operator+=.
template <class T, std::size_t... E, class B>
    requires detail::plain_value<B>
constexpr tensor<T, E...>& operator*=(tensor<T, E...>& a, const B& b) {
    return detail::compound(a, b, "tensor *=", [](T& x, const auto& y) { x *= y; });
}
/// Elementwise `a /= b` in place (`b` a scalar or a tensor of `a`'s shape); see operator+=.
template <class T, std::size_t... E, class B>
    requires detail::plain_value<B>
constexpr tensor<T, E...>& operator/=(tensor<T, E...>& a, const B& b) {
    return detail::compound(a, b, "tensor /=", [](T& x, const auto& y) { x /= y; });
}

}  // namespace ctgrad
