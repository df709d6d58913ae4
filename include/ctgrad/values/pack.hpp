#pragma once
/// @file
/// pack<T>: a few elements of a tensor in one SIMD register, as wide as the target allows
/// (CTGRAD_PACK_BYTES: 64 with AVX-512, 32 with AVX, 16 with SSE2: 8, 4 or 2 doubles), used by
/// fused reductions to evaluate and differentiate their elementwise region several elements at
/// a time. The width is fixed at compile time; there is no run-time dispatch. Not part of the
/// public API.
///
/// A pack behaves as a scalar for the arithmetic ops' rules (it converts from T, broadcasting,
/// and has + - * /), so an op whose value and partials use only those (declared by the op with
/// `lanes = true`) runs unchanged on packs. Lane l of a result is exactly what the same IEEE
/// operation gives on element l: only the order of a reduction's final sum changes.
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "../config.hpp"
#include "scalar.hpp"

namespace ctgrad {
namespace detail {

template <class T>
struct pack_register {};  // T has no pack: fused reductions over T run one element at a time
#if CTGRAD_HAS_VECTOR_EXTENSION
// (one specialisation per element type: GCC ignores vector_size on a dependent typedef)
template <>
struct pack_register<double> {
    typedef double type __attribute__((vector_size(CTGRAD_PACK_BYTES)));
};
template <>
struct pack_register<float> {
    typedef float type __attribute__((vector_size(CTGRAD_PACK_BYTES)));
};
#endif

template <class T>
inline constexpr bool has_pack_v = requires { typename pack_register<T>::type; };

template <class T>
    requires has_pack_v<T>
struct pack {
    using reg = typename pack_register<T>::type;
    static constexpr std::size_t width = sizeof(reg) / sizeof(T);
    reg v;

    pack() = default;
    constexpr pack(T s) : v{} { v = v + s; }  // every lane s
    constexpr explicit pack(reg r) : v(r) {}

    friend constexpr pack operator+(pack a, pack b) { return pack(a.v + b.v); }
    friend constexpr pack operator-(pack a, pack b) { return pack(a.v - b.v); }
    friend constexpr pack operator*(pack a, pack b) { return pack(a.v * b.v); }
    friend constexpr pack operator/(pack a, pack b) { return pack(a.v / b.v); }
    friend constexpr pack operator-(pack a) { return pack(-a.v); }
    constexpr pack& operator+=(pack b) { return v = v + b.v, *this; }
    constexpr pack& operator-=(pack b) { return v = v - b.v, *this; }
    constexpr pack& operator*=(pack b) { return v = v * b.v, *this; }

    /// Elements p[0] .. p[width - 1] (one vector load: a loop over the lanes is not always
    /// turned into one).
    static pack load(const T* p) {
        pack r;
        std::memcpy(&r.v, p, sizeof r.v);
        return r;
    }
    /// Lanes stored to p[0] .. p[width - 1].
    void store(T* p) const { std::memcpy(p, &v, sizeof v); }
    /// The lanes summed in order.
    constexpr T sum() const {
        T s = v[0];
        for (std::size_t l = 1; l < width; ++l) s = s + v[l];
        return s;
    }
};

}  // namespace detail

/// Packs are scalars to the ops' rules (internal: fused reductions evaluate regions on them).
/// Example: `ctgrad::detail::one_of<ctgrad::detail::pack<double>>()` has every lane 1.
template <class T>
struct scalar_traits<detail::pack<T>> {
    /// Every lane 0.
    static constexpr detail::pack<T> zero() noexcept { return detail::pack<T>(T(0)); }
    /// Every lane 1.
    static constexpr detail::pack<T> one() noexcept { return detail::pack<T>(T(1)); }
    /// Gradients flow through packs of float and double.
    static constexpr bool differentiable = true;
};

namespace detail {
// The element type of a fused region's nodes when evaluated in packs (T itself where T has no
// pack: such a region never runs in packs, but its types are named).
template <class T>
struct lanes_of_impl {
    using type = T;
};
template <class T>
    requires has_pack_v<T>
struct lanes_of_impl<T> {
    using type = pack<T>;
};
}  // namespace detail

}  // namespace ctgrad
