#pragma once
/// @file
/// `ctgrad::tensor<T, ctgrad::dyn>`: a rank-1 tensor whose length is chosen at run time, and
/// `ctgrad::view`: a non-owning, read-only rank-1 value over a `std::span`.
///
/// Both are rank-1 values of shape `extents<dyn>`. The shape rules treat `dyn` as "any length,
/// checked at run time": a dyn operand broadcasts with scalars and one-element operands, and with
/// a fixed rank-1 operand or another dyn operand of the same run-time length. A length mismatch
/// throws std::invalid_argument naming both lengths (never undefined behaviour).
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

/// A non-owning, read-only rank-1 value over memory the caller keeps alive: usable wherever a
/// value is read (as the value of a leaf that does not require grad, or as an operand), never as
/// a gradient. Its shape is `extents<dyn>`. Example:
/// `ctgrad::leaf y{ctgrad::view(std::span<const double>(data))};`
template <class T>
struct view_t {
    /// The element type.
    using value_type = T;
    /// The shape as a type: `extents<dyn>`.
    using shape_type = detail::extents<dyn>;
    /// Always 1.
    static constexpr std::size_t rank = 1;

    /// The viewed elements.
    std::span<const T> elems;

    /// Number of elements.
    constexpr std::size_t size() const noexcept { return elems.size(); }
    /// Iteration over the elements.
    constexpr const T* begin() const noexcept { return elems.data(); }
    /// End of the elements.
    constexpr const T* end() const noexcept { return elems.data() + elems.size(); }
    /// Pointer to the first element.
    constexpr const T* data() const noexcept { return elems.data(); }
    /// Element `i`; throws std::out_of_range past the end.
    template <std::integral I>
    constexpr const T& operator[](I i) const {
        return elems[detail::checked_dyn_index(i, elems.size())];
    }
    /// Prints `[1, 2, 3]`.
    friend std::ostream& operator<<(std::ostream& os, const view_t& t) {
        detail::print_rank1(os, t.elems.data(), t.elems.size());
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

namespace detail {
template <class T>
struct shape_of_impl<view_t<T>> {
    using type = extents<dyn>;
};
template <class T>
struct element_of_impl<view_t<T>> {
    using type = T;
};
template <class T>
inline constexpr bool is_view_v = false;
template <class T>
inline constexpr bool is_view_v<view_t<T>> = true;
}  // namespace detail

}  // namespace ctgrad
