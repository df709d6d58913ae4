#pragma once
/// @file
/// Forward declarations of the expression kinds and the helpers every layer shares.
#include <concepts>
#include <cstddef>
#include <utility>
#include <type_traits>

#include "../values/tensor.hpp"

namespace ctgrad {

/// Tag type of `ctgrad::requires_grad`; its default constructor is explicit so that `{}` never
/// silently selects it.
struct requires_grad_t {
    explicit constexpr requires_grad_t() = default;
};
/// Pass as the second constructor argument of a leaf to make it require grad:
/// `ctgrad::leaf x{2.0, ctgrad::requires_grad};`
inline constexpr requires_grad_t requires_grad{};

template <class V, bool RequiresGrad = false>
class leaf;

template <class N, class S, bool Retain>
class shared;

/// Base of every expression type. It lives in namespace ctgrad so that argument-dependent
/// lookup finds ctgrad's operators and functions for all expressions, including the handles
/// passed to user callables.
struct expression_base {};

namespace detail {

using expression_tag = expression_base;

template <class T>
struct is_leaf_type : std::false_type {};
template <class V, bool RG>
struct is_leaf_type<leaf<V, RG>> : std::true_type {};

template <class T>
struct is_shared_type : std::false_type {};
template <class N, class S, bool R>
struct is_shared_type<shared<N, S, R>> : std::true_type {};

// Leaves and shared intermediates: the identities an expression refers to when they are lvalues
// (everything else it copies).
template <class T>
concept identity_operand = is_leaf_type<std::remove_cvref_t<T>>::value ||
                           is_shared_type<std::remove_cvref_t<T>>::value;

/// Element access shared by leaves and intermediates: `e(i, j, ...)` gives a scalar expression
/// whose gradient flows into that element only, `e[i]` the element of a rank-1 value or the row
/// of a value of higher rank (see ops/index.hpp). The value category is passed on, so a temporary
/// is copied and the usual capture checks apply.
template <class D>
struct element_access {
#if CTGRAD_HAS_LIFETIMEBOUND
    // The element of an lvalue leaf or shared intermediate refers to it: annotated for Clang's
    // lifetime warnings (graph/overloads.hpp). Other lvalues are copied, temporaries too.
    template <std::integral I> requires identity_operand<D>
    constexpr auto operator[](I i) & CTGRAD_LIFETIMEBOUND { return subscript(self(), i); }
    template <std::integral I> requires identity_operand<D>
    constexpr auto operator[](I i) const& CTGRAD_LIFETIMEBOUND { return subscript(self(), i); }
    template <std::integral... I> requires identity_operand<D>
    constexpr auto operator()(I... i) & CTGRAD_LIFETIMEBOUND { return at(self(), i...); }
    template <std::integral... I> requires identity_operand<D>
    constexpr auto operator()(I... i) const& CTGRAD_LIFETIMEBOUND { return at(self(), i...); }
    template <std::integral I> requires(!identity_operand<D>)
    constexpr auto operator[](I i) & { return subscript(self(), i); }
    template <std::integral I> requires(!identity_operand<D>)
    constexpr auto operator[](I i) const& { return subscript(self(), i); }
    template <std::integral... I> requires(!identity_operand<D>)
    constexpr auto operator()(I... i) & { return at(self(), i...); }
    template <std::integral... I> requires(!identity_operand<D>)
    constexpr auto operator()(I... i) const& { return at(self(), i...); }
#else
    template <std::integral I> constexpr auto operator[](I i) & { return subscript(self(), i); }
    template <std::integral I> constexpr auto operator[](I i) const& { return subscript(self(), i); }
    template <std::integral... I> constexpr auto operator()(I... i) & { return at(self(), i...); }
    template <std::integral... I> constexpr auto operator()(I... i) const& { return at(self(), i...); }
#endif
    template <std::integral I> constexpr auto operator[](I i) && { return subscript(std::move(self()), i); }
    template <std::integral I> constexpr auto operator[](I i) const&& { return subscript(std::move(self()), i); }
    template <std::integral... I> constexpr auto operator()(I... i) && { return at(std::move(self()), i...); }
    template <std::integral... I> constexpr auto operator()(I... i) const&& { return at(std::move(self()), i...); }

private:
    constexpr D& self() noexcept { return static_cast<D&>(*this); }
    constexpr const D& self() const noexcept { return static_cast<const D&>(*this); }
};
struct leaf_access;

template <class N, class S>
class expr;

template <class Tag, class V, bool RG>
struct handle;

// dst += src, elementwise for tensors.
template <class V, class S>
constexpr void accumulate(V& dst, const S& src) {
    if constexpr (is_tensor_v<V>) {
        if constexpr (is_tensor_v<S>) {
            if constexpr (is_dyn_v<V> || is_dyn_v<S>) {
                // An empty dyn adjoint is a zero whose length was never needed (a loop state
                // the body ignores): nothing to add.
                if constexpr (is_dyn_v<S>)
                    if (src.elems.empty()) return;
                // a dyn gradient made before its length was known (empty) takes the length
                if constexpr (is_dyn_v<V>)
                    if (dst.elems.empty() && size_of(src) != 0)
                        dst = filled_like<V>(src, zero_of<element_of<V>>());
                check_length(CTGRAD_MSG_LENGTH_GRAD, size_of(dst), size_of(src));
            }
            for (std::size_t i = 0; i < size_of(dst); ++i) dst.elems[i] += src.elems[i];
        } else {
            for (auto& d : dst.elems) d += src;
        }
    } else {
        dst += src;
    }
}

// An op's contribution g to the adjoint of its input `in`: the first contribution (see
// analysis::first in analysis/liveness.hpp) assigns, so no adjoint is zeroed up front. Ops whose
// rules write every adjoint through this declare `assigns_first`.
template <class In, class G>
constexpr void contribute(const In& in, const G& g) {
    using V = std::remove_cvref_t<decltype(*in.adj)>;
    if constexpr (In::first && std::is_same_v<V, G>) {
        *in.adj = g;
    } else {
        if constexpr (In::first) *in.adj = zeros<V>();
        accumulate(*in.adj, g);
    }
}

// Convert a value of the same shape to value type V (elements converted). A value already of
// type V is passed on (moved from a temporary: no second buffer for a run-time length).
template <class V, class S>
constexpr V convert(S&& s) {
    if constexpr (std::is_same_v<V, std::remove_cvref_t<S>>) {
        return static_cast<S&&>(s);
    } else if constexpr (is_dyn_v<V>) {
        V v;
        v.elems.reserve(size_of(s));
        for (std::size_t i = 0; i < size_of(s); ++i)
            v.elems.push_back(static_cast<element_of<V>>(elem(s, i)));
        return v;
    } else if constexpr (is_tensor_v<V>) {
        V v{};
        for (std::size_t i = 0; i < V::size(); ++i)
            v.elems[i] = static_cast<element_of<V>>(elem(s, i));
        return v;
    } else {
        return static_cast<V>(elem(s, 0));
    }
}

template <class T>
inline constexpr bool dependent_false = false;

}  // namespace detail
}  // namespace ctgrad
