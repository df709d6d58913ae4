#pragma once
/// @file
/// `ctgrad::tensor<T, ctgrad::dyn>`: a rank-1 tensor whose length is chosen at run time;
/// `ctgrad::tensor<T, ctgrad::dyn, C...>`: a data matrix whose rows are chosen at run time; and
/// `ctgrad::view` / `ctgrad::view<C...>`: their non-owning, read-only forms over a `std::span`.
///
/// Their shapes are `extents<dyn, C...>`. The shape rules treat `dyn` as "any number of rows,
/// checked at run time": a dyn operand broadcasts with operands of lower rank (one row repeated
/// over all rows), and with operands of its rank whose rows are 1 or equal to its own. A dyn
/// operand of one row at run time broadcasts like a fixed 1. A mismatch throws
/// std::invalid_argument naming both counts (never undefined behaviour).
#include <cstddef>
#include <initializer_list>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../config.hpp"
#include "../diagnostics.hpp"
#include "shape.hpp"

namespace ctgrad {

namespace detail {

/// Throws std::invalid_argument naming `what` and both lengths (in constant evaluation the
/// message is generic: it cannot be formatted there, and the throw is a compile error anyway).
template <class Ex = std::invalid_argument>
[[noreturn]] constexpr void length_mismatch(const char* what, std::size_t a, std::size_t b) {
    if (std::is_constant_evaluated()) {
        raise<Ex>(CTGRAD_MSG_LENGTH_MISMATCH);
    } else {
        raise<Ex>(std::string("ctgrad: ") + what + ": length mismatch: " + std::to_string(a) +
                  " vs " + std::to_string(b));
    }
}

template <class Ex = std::invalid_argument>
constexpr void check_length(const char* what, std::size_t a, std::size_t b) {
    if (a != b) length_mismatch<Ex>(what, a, b);
}

template <class I>
constexpr std::size_t checked_dyn_index(I i, std::size_t n) {
    if (std::cmp_less(i, 0) || std::cmp_greater_equal(i, n)) {
        if (std::is_constant_evaluated())
            raise<std::out_of_range>(CTGRAD_MSG_TENSOR_RANGE);
        else
            raise<std::out_of_range>("ctgrad::tensor<T, dyn>: index " + std::to_string(i) +
                                     " is out of range for length " + std::to_string(n));
    }
    return static_cast<std::size_t>(i);
}

template <class T>
void print_rank1(std::ostream& os, const T* p, std::size_t n) {
    os << '[';
    for (std::size_t k = 0; k < n; ++k) {
        if (k) os << ", ";
        os << p[k];
    }
    os << ']';
}

}  // namespace detail

/// A rank-1 tensor whose length is chosen at run time (storage: `std::vector<T>`).
///
/// Built from a `std::vector<T>`, a `std::span<const T>`, an initializer list, or
/// `tensor<T, dyn>::zeros(n)`; it has the interface of the fixed tensors. In constant evaluation
/// its storage is a transient allocation (it must not outlive the evaluation).
/// @code
/// ctgrad::tensor y{std::vector<double>{1.0, 2.0, 3.0}};   // tensor<double, ctgrad::dyn>
/// auto z = ctgrad::tensor<double, ctgrad::dyn>::zeros(3);
/// @endcode
template <class T>
struct tensor<T, dyn> {
    /// The element type.
    using value_type = T;
    /// The shape as a type: `extents<dyn>` (internal representation).
    using shape_type = detail::extents<dyn>;
    /// Always 1.
    static constexpr std::size_t rank = 1;

    /// The elements. Public, like the fixed tensors' array.
    std::vector<T> elems;

    /// An empty tensor (length 0).
    constexpr tensor() = default;
    /// The listed elements: `tensor<double, ctgrad::dyn>{1.0, 2.0}`.
    constexpr tensor(std::initializer_list<T> il) : elems(il) {}
    /// Takes over the elements of `v`.
    constexpr explicit tensor(std::vector<T> v) : elems(std::move(v)) {}
    /// A copy of the elements of `s`.
    constexpr explicit tensor(std::span<const T> s) : elems(s.begin(), s.end()) {}

    /// `n` zeros. (Sized with an explicit fill value: `std::vector<T>(n)` is not usable in
    /// constant evaluation with Clang 16 and libstdc++ 12.)
    static constexpr tensor zeros(std::size_t n) {
        tensor t;
        t.elems.assign(n, detail::zero_of<T>());
        return t;
    }

    /// Number of elements (the run-time length).
    constexpr std::size_t size() const noexcept { return elems.size(); }
    /// The one extent, `{size()}`.
    constexpr std::array<std::size_t, 1> shape() const noexcept { return {elems.size()}; }

    /// Iteration over the elements.
    constexpr T* begin() noexcept { return elems.data(); }
    /// End of the elements.
    constexpr T* end() noexcept { return elems.data() + elems.size(); }
    /// Iteration over the elements.
    constexpr const T* begin() const noexcept { return elems.data(); }
    /// End of the elements.
    constexpr const T* end() const noexcept { return elems.data() + elems.size(); }
    /// Pointer to the first element.
    constexpr T* data() noexcept { return elems.data(); }
    /// Pointer to the first element.
    constexpr const T* data() const noexcept { return elems.data(); }

    /// Element `i`; throws std::out_of_range past the end.
    template <std::integral I>
    constexpr T& operator[](I i) {
        return elems[detail::checked_dyn_index(i, elems.size())];
    }
    /// Element `i` (read-only); throws std::out_of_range past the end.
    template <std::integral I>
    constexpr const T& operator[](I i) const {
        return elems[detail::checked_dyn_index(i, elems.size())];
    }
    /// Element `i`, as `t[i]`.
    template <std::integral I>
    constexpr T& operator()(I i) {
        return (*this)[i];
    }
    /// Element `i`, as `t[i]` (read-only).
    template <std::integral I>
    constexpr const T& operator()(I i) const {
        return (*this)[i];
    }

    /// Equal lengths and equal elements.
    friend constexpr bool operator==(const tensor& a, const tensor& b) {
        if (a.elems.size() != b.elems.size()) return false;
        for (std::size_t i = 0; i < a.elems.size(); ++i)
            if (!(a.elems[i] == b.elems[i])) return false;
        return true;
    }

    /// Prints `[1, 2, 3]` (`[]` when empty).
    friend std::ostream& operator<<(std::ostream& os, const tensor& t) {
        detail::print_rank1(os, t.elems.data(), t.elems.size());
        return os;
    }
};

/// Deduction: `tensor{std::vector<T>{...}}` is `tensor<T, ctgrad::dyn>`.
template <class T>
tensor(std::vector<T>) -> tensor<T, dyn>;
/// Deduction: `tensor{std::span<T, N>{...}}` is `tensor<T, ctgrad::dyn>`.
template <class T, std::size_t N>
tensor(std::span<T, N>) -> tensor<std::remove_const_t<T>, dyn>;


namespace detail {
// n elements of a run-time matrix with rows of Row elements: n must be a multiple of Row.
template <std::size_t Row>
constexpr void check_whole_rows(std::size_t n) {
    if (n % Row != 0) {
        if (std::is_constant_evaluated())
            raise<std::invalid_argument>(CTGRAD_MSG_ROWS_SIZE);
        else
            raise<std::invalid_argument>(CTGRAD_MSG_ROWS_SIZE_PREFIX + std::to_string(n) +
                                         CTGRAD_MSG_ROWS_SIZE_MIDDLE + std::to_string(Row));
    }
}

// The flat row-major position of (i, k...) in n rows of extents C...; throws when outside.
template <std::size_t... C, class I, class... K>
constexpr std::size_t checked_row_index(std::size_t n, I i, K... k) {
    static_assert(sizeof...(K) == sizeof...(C), CTGRAD_MSG_TENSOR_INDEX_COUNT);
    std::size_t f = checked_dyn_index(i, n);
    constexpr std::size_t ext[] = {C..., 0};
    std::size_t d = 0;
    ((f = f * ext[d] + checked_dyn_index(k, ext[d]), ++d), ...);
    return f;
}

// Row i (a fixed tensor<T, C...>) of the elements at p of n rows.
template <class T, std::size_t... C, class I>
constexpr tensor<T, C...> row_of(const T* p, std::size_t n, I i) {
    const std::size_t r = checked_dyn_index(i, n);
    tensor<T, C...> out{};
    for (std::size_t k = 0; k < out.size(); ++k) out.elems[k] = p[r * out.size() + k];
    return out;
}

template <class T, std::size_t... C>
void print_rows(std::ostream& os, const T* p, std::size_t n) {
    os << '[';
    for (std::size_t i = 0; i < n; ++i) {
        if (i) os << ", ";
        os << row_of<T, C...>(p, n, i);
    }
    os << ']';
}
}  // namespace detail

/// A data matrix whose first extent (the rows) is chosen at run time and whose other extents
/// `C...` are fixed; row-major, storage `std::vector<T>` (a transient allocation in constant
/// evaluation). Built from a `std::vector<T>` or `std::span<const T>` holding n × (C × ...)
/// values (another size throws std::invalid_argument), or `zeros(n)`. `t(i, j, ...)` is an
/// element, `t[i]` row i as a `tensor<T, C...>`. Elementwise ops broadcast fixed `(C...)`
/// operands over the rows; `matmul(X, w)` gives one value per row.
/// @code
/// ctgrad::tensor<double, ctgrad::dyn, 2> X{std::vector{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}};  // 3 x 2
/// auto Z = ctgrad::tensor<double, ctgrad::dyn, 2>::zeros(3);
/// // X.rows() == 3, X(2, 1) == 6.0, X[1] == ctgrad::tensor{3.0, 4.0}
/// @endcode
template <class T, std::size_t C0, std::size_t... C>
struct tensor<T, dyn, C0, C...> {
    static_assert(C0 != dyn && ((C != dyn) && ...), CTGRAD_MSG_TENSOR_DYN_RANK);

    /// The element type.
    using value_type = T;
    /// The shape as a type: `extents<dyn, C...>` (internal representation).
    using shape_type = detail::extents<dyn, C0, C...>;
    /// The type of one row, `tensor<T, C...>`.
    using row_type = tensor<T, C0, C...>;
    /// The number of extents, rows included.
    static constexpr std::size_t rank = 2 + sizeof...(C);
    /// The number of elements of one row.
    static constexpr std::size_t row_size = (C0 * ... * C);

    /// The elements, row-major. Public, like the fixed tensors' array.
    std::vector<T> elems;

    /// No rows.
    constexpr tensor() = default;
    /// Takes over the elements of `v`, n × row_size of them (else std::invalid_argument).
    constexpr explicit tensor(std::vector<T> v) : elems(std::move(v)) {
        detail::check_whole_rows<row_size>(elems.size());
    }
    /// A copy of the elements of `s`, n × row_size of them (else std::invalid_argument).
    constexpr explicit tensor(std::span<const T> s) : elems(s.begin(), s.end()) {
        detail::check_whole_rows<row_size>(elems.size());
    }

    /// `n` rows of zeros.
    static constexpr tensor zeros(std::size_t n) {
        tensor t;
        t.elems.assign(n * row_size, detail::zero_of<T>());
        return t;
    }

    /// Number of elements, rows × row_size.
    constexpr std::size_t size() const noexcept { return elems.size(); }
    /// Number of rows.
    constexpr std::size_t rows() const noexcept { return elems.size() / row_size; }
    /// The extents, `{rows(), C...}`.
    constexpr std::array<std::size_t, rank> shape() const noexcept { return {rows(), C0, C...}; }

    /// Iteration over the elements in row-major order.
    constexpr T* begin() noexcept { return elems.data(); }
    /// End of the elements.
    constexpr T* end() noexcept { return elems.data() + elems.size(); }
    /// Iteration over the elements in row-major order.
    constexpr const T* begin() const noexcept { return elems.data(); }
    /// End of the elements.
    constexpr const T* end() const noexcept { return elems.data() + elems.size(); }
    /// Pointer to the first element.
    constexpr T* data() noexcept { return elems.data(); }
    /// Pointer to the first element.
    constexpr const T* data() const noexcept { return elems.data(); }

    /// Element (i, j, ...), one index per extent; throws std::out_of_range when outside.
    template <std::integral I, std::integral... K>
    constexpr T& operator()(I i, K... k) {
        return elems[detail::checked_row_index<C0, C...>(rows(), i, k...)];
    }
    /// Element (i, j, ...) (read-only).
    template <std::integral I, std::integral... K>
    constexpr const T& operator()(I i, K... k) const {
        return elems[detail::checked_row_index<C0, C...>(rows(), i, k...)];
    }
    /// Row `i`, a copy as `tensor<T, C...>`; throws std::out_of_range past the last row.
    template <std::integral I>
    constexpr row_type operator[](I i) const {
        return detail::row_of<T, C0, C...>(elems.data(), rows(), i);
    }

    /// Equal rows and equal elements.
    friend constexpr bool operator==(const tensor& a, const tensor& b) {
        if (a.elems.size() != b.elems.size()) return false;
        for (std::size_t i = 0; i < a.elems.size(); ++i)
            if (!(a.elems[i] == b.elems[i])) return false;
        return true;
    }

    /// Prints the rows: `[[1, 2], [3, 4]]` (`[]` with no rows).
    friend std::ostream& operator<<(std::ostream& os, const tensor& t) {
        detail::print_rows<T, C0, C...>(os, t.elems.data(), t.rows());
        return os;
    }
};

/// A non-owning, read-only value over memory the caller keeps alive: rank 1 (`view_t<T>`, from
/// `ctgrad::view(span)`) or a data matrix of run-time rows and fixed extents `C...`
/// (`view_t<T, C...>`, from `ctgrad::view<C...>(span)`). Usable wherever a value is read (as the
/// value of a leaf that does not require grad, or as an operand), never as a gradient. Its shape
/// is `extents<dyn, C...>`. Example:
/// `ctgrad::leaf y{ctgrad::view(std::span<const double>(data))};`
template <class T, std::size_t... C>
struct view_t {
    /// The element type.
    using value_type = T;
    /// The shape as a type: `extents<dyn, C...>`.
    using shape_type = detail::extents<dyn, C...>;
    /// The number of extents, rows included.
    static constexpr std::size_t rank = 1 + sizeof...(C);
    /// The number of elements of one row (1 for rank 1).
    static constexpr std::size_t row_size = (std::size_t{1} * ... * C);

    /// The viewed elements.
    std::span<const T> elems;

    /// Number of elements.
    constexpr std::size_t size() const noexcept { return elems.size(); }
    /// Number of rows (the length for rank 1).
    constexpr std::size_t rows() const noexcept { return elems.size() / row_size; }
    /// Iteration over the elements.
    constexpr const T* begin() const noexcept { return elems.data(); }
    /// End of the elements.
    constexpr const T* end() const noexcept { return elems.data() + elems.size(); }
    /// Pointer to the first element.
    constexpr const T* data() const noexcept { return elems.data(); }
    /// Element `i` (rank 1), or row `i` as a `tensor<T, C...>` copy; throws std::out_of_range
    /// past the end.
    template <std::integral I>
    constexpr decltype(auto) operator[](I i) const {
        if constexpr (sizeof...(C) == 0) return (elems[detail::checked_dyn_index(i, elems.size())]);
        else return detail::row_of<T, C...>(elems.data(), rows(), i);
    }
    /// Element (i, j, ...) of a matrix view, one index per extent.
    template <std::integral I, std::integral... K>
        requires(sizeof...(C) > 0)
    constexpr const T& operator()(I i, K... k) const {
        return elems[detail::checked_row_index<C...>(rows(), i, k...)];
    }
    /// Prints `[1, 2, 3]`, or the rows `[[1, 2], [3, 4]]`.
    friend std::ostream& operator<<(std::ostream& os, const view_t& t) {
        if constexpr (sizeof...(C) == 0) detail::print_rank1(os, t.elems.data(), t.elems.size());
        else detail::print_rows<T, C...>(os, t.elems.data(), t.rows());
        return os;
    }
};

/// A read-only view of `s` (no copy). See view_t.
template <class T, std::size_t N>
constexpr view_t<std::remove_const_t<T>> view(std::span<T, N> s) noexcept {
    return {std::span<const std::remove_const_t<T>>(s.data(), s.size())};
}
/// A read-only view of the elements of `v` (no copy; `v` must outlive the view).
template <class T>
constexpr view_t<T> view(const std::vector<T>& v) noexcept {
    return {std::span<const T>(v.data(), v.size())};
}
template <class T>
void view(const std::vector<T>&&) = delete;  // would dangle

/// A read-only data matrix over `s` (no copy): rows of extents `C...`, as many as `s` holds;
/// a size that is not a whole number of rows throws std::invalid_argument.
/// Example: `auto X = ctgrad::view<8>(std::span<const double>(features));  // n x 8`
template <std::size_t C0, std::size_t... C, class T, std::size_t N>
constexpr view_t<std::remove_const_t<T>, C0, C...> view(std::span<T, N> s) {
    detail::check_whole_rows<(C0 * ... * C)>(s.size());
    return {std::span<const std::remove_const_t<T>>(s.data(), s.size())};
}
/// A read-only data matrix over the elements of `v` (no copy; `v` must outlive the view).
template <std::size_t C0, std::size_t... C, class T>
constexpr view_t<T, C0, C...> view(const std::vector<T>& v) {
    detail::check_whole_rows<(C0 * ... * C)>(v.size());
    return {std::span<const T>(v.data(), v.size())};
}
template <std::size_t C0, std::size_t... C, class T>
void view(const std::vector<T>&&) = delete;  // would dangle

namespace detail {
template <class T, std::size_t... C>
struct shape_of_impl<view_t<T, C...>> {
    using type = extents<dyn, C...>;
};
template <class T, std::size_t... C>
struct element_of_impl<view_t<T, C...>> {
    using type = T;
};
template <class T>
inline constexpr bool is_view_v = false;
template <class T, std::size_t... C>
inline constexpr bool is_view_v<view_t<T, C...>> = true;
}  // namespace detail

}  // namespace ctgrad
