#pragma once
/// @file
/// How operands become parts of an expression (capture rules) and how a new node is appended.
///
/// Lvalue leaves and lvalue retained intermediates are referred to by pointer; everything else
/// (temporaries, plain values, other expressions) is copied, so an expression never dangles on a
/// temporary. Operands whose gradient would be lost are rejected at compile time.
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "../diagnostics.hpp"
#include "../ops/terminals.hpp"
#include "../traits.hpp"
#include "fwd.hpp"
#include "node.hpp"

namespace ctgrad::detail {

template <class T>
inline constexpr bool is_leaf_type = false;
template <class V, bool RG>
inline constexpr bool is_leaf_type<leaf<V, RG>> = true;

template <class T>
inline constexpr bool is_expr_type = false;
template <class L, class S>
inline constexpr bool is_expr_type<expr<L, S>> = true;

template <class T>
inline constexpr bool is_handle_type = false;
template <class Tag, class V, bool RG>
inline constexpr bool is_handle_type<handle<Tag, V, RG>> = true;

template <class T>
inline constexpr bool is_retained_v = false;
template <class L, class S>
inline constexpr bool is_retained_v<expr<L, S>> =
    mp::mp_similar<typename root_of<L>::op, retain_own<int>>::value;

// A part made of the single node N with payload p.
template <class N, class P = none>
constexpr auto single(const P& p = P{}) {
    part<mp::mp_list<N>, typename single_store<payload_t<N>>::type> r{};
    if constexpr (!std::is_same_v<payload_t<N>, none>) at<0>(r.store).v[0] = p;
    return r;
}

// A constant operand as a one-node part.
template <class V>
constexpr auto constant_part(const V& v) {
    return single<node<const_term<V>, V, false>>(v);
}

/// The part an operand contributes; arithmetic scalars are converted to element type E.
template <class E, class T>
constexpr auto to_part(T&& t) {
    using U = std::remove_cvref_t<T>;
    constexpr bool lvalue = std::is_lvalue_reference_v<T>;
    constexpr bool is_const = std::is_const_v<std::remove_reference_t<T>>;
    if constexpr (is_leaf_type<U>) {
        using V = typename U::value_type;
        if constexpr (U::requires_grad()) {
            static_assert(lvalue, CTGRAD_MSG_TEMPORARY_LEAF);
            static_assert(!is_const, CTGRAD_MSG_CONST_LEAF);
            return single<node<leaf_term<U>, V, true>>(const_cast<U*>(&t));
        } else if constexpr (lvalue) {
            return single<node<leaf_term<const U>, V, false>>(&t);
        } else {
            return constant_part(t.value());
        }
    } else if constexpr (is_expr_type<U>) {
        if constexpr (is_retained_v<U>) {
            static_assert(lvalue && !is_const, CTGRAD_MSG_TEMPORARY_RETAINED);
            using V = typename U::value_type;
            return single<node<retained_term<U>, V, true>>(const_cast<U*>(&t));
        } else {
            return part<typename U::nodes, typename U::store_type>{t.store_};
        }
    } else if constexpr (is_handle_type<U>) {
        return single<node<handle_term<typename U::tag>, typename U::value_type,
                           U::requires_grad()>>();
    } else if constexpr (requires { t.as_part(); }) {
        return t.as_part();  // handles that refer to a leaf (functional transformations)
    } else if constexpr (std::is_arithmetic_v<U>) {
        return constant_part(static_cast<E>(t));
    } else {
        return constant_part(t);
    }
}

// Element type of an expression's operands: the common type of its expression operands.
// Computed from the operands' element types (void for a non-expression), so that it is
// instantiated once per combination of element types, not once per expression type.
template <class T>
using element_if_expression = std::conditional_t<expression<T>, element_of<value_t<T>>, void>;
template <class T>
using is_not_void_t = std::bool_constant<!std::is_void_v<T>>;
template <class... E>
struct common_element {
    using type = mp::mp_apply<std::common_type_t, mp::mp_copy_if<mp::mp_list<E...>, is_not_void_t>>;
};
template <class... T>
using expression_element = typename common_element<element_if_expression<T>...>::type;

// Copy n payloads to d[off...]; returns the new offset. Depends on the payload type only.
template <class P>
constexpr std::size_t copy_group(P* d, std::size_t off, const P* s, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) d[off + i] = s[i];
    return off + n;
}

// Append the groups of a store to `dst` (whose group types are `types`) at offsets `off`: one
// instantiation per pair of store types, no helper lambdas (a chain instantiates this per node).
template <class types, class S, std::size_t U, std::size_t... J, class... P, std::size_t... M>
constexpr void append_store(S& dst, std::array<std::size_t, U>& off,
                            const ftuple_impl<std::index_sequence<J...>, group<P, M>...>& src) {
    ((off[mp::mp_find<types, P>::value] =
          copy_group(at<mp::mp_find<types, P>::value>(dst).v, off[mp::mp_find<types, P>::value],
                     at<J>(src).v, M)),
     ...);
}
template <class types, class S, std::size_t U>
constexpr void append_store(S&, std::array<std::size_t, U>&, const ftuple<>&) {}

/// Concatenate parts in list order: node lists are appended unchanged, stores are copied into
/// one flat store.
template <class... Parts>
constexpr auto concat(const Parts&... ps) {
    using L = cat<typename Parts::nodes...>;
    using S = merged_store<typename Parts::store_type...>;
    using types = typename store_types_impl<S>::type;
    part<L, S> r{};
    std::array<std::size_t, mp::mp_size<types>::value> off{};
    (append_store<types>(r.store, off, ps.store), ...);
    return r;
}

// The node put in front of the parts of its inputs, which follow it last input first: input i
// sits 1 + (sizes of the later inputs) positions after the node.
template <class Op, class V, bool RG, std::size_t... Sz>
struct node_for_impl {
    static constexpr std::array<std::size_t, sizeof...(Sz)> sz{Sz...};
    static constexpr std::size_t offset(std::size_t i) {
        std::size_t o = 1;
        for (std::size_t j = i + 1; j < sz.size(); ++j) o += sz[j];
        return o;
    }
    template <std::size_t... I>
    static auto make(std::index_sequence<I...>) -> node<Op, V, RG, offset(I)...>;
    using type = decltype(make(std::index_sequence_for<decltype(Sz)...>{}));
};
// The first input's size never matters (nothing of it lies between the node and a later input),
// so it is dropped: the descriptor is computed once per op and later sizes, not per expression.
template <class Op, class V, bool RG, std::size_t... Sz>
struct node_for_first;
template <class Op, class V, bool RG, std::size_t S0, std::size_t... Sz>
struct node_for_first<Op, V, RG, S0, Sz...> {
    using type = typename node_for_impl<Op, V, RG, 0, Sz...>::type;
};
template <class Op, class V, bool RG, std::size_t... Sz>
using node_for = typename node_for_first<Op, V, RG, Sz...>::type;

// Whether the node for Op over inputs whose roots require grad as given requires grad.
template <class Op, bool... InRG>
inline constexpr bool node_requires_grad = [] {
    constexpr unsigned nd = nondiff_mask<Op>();
    bool r = false;
    std::size_t i = 0;
    ((r = r || (InRG && !((nd >> i) & 1u)), ++i), ...);
    if constexpr (requires { Op::self_requires_grad; }) r = r || Op::self_requires_grad;
    return r;
}();

// The node list and store type of node N followed by the parts RP (already in list order).
template <class N, class RP>
struct assembled;
template <class N, class... RP>
struct assembled<N, mp::mp_list<RP...>> {
    using nodes = cat<mp::mp_list<N>, typename RP::nodes...>;
    using store_type =
        merged_store<typename single_store<payload_t<N>>::type, typename RP::store_type...>;
};

// Append the stores of the parts, last part first (recursion depth: the number of parts).
template <class types, class S, std::size_t U, class P0, class... P>
constexpr void append_parts_reversed(S& dst, std::array<std::size_t, U>& off, const P0& p0,
                                     const P&... ps) {
    if constexpr (sizeof...(P) > 0) append_parts_reversed<types>(dst, off, ps...);
    append_store<types>(dst, off, p0.store);
}

template <class Op, class V0, class... V>
struct node_value {
    using type = V0;  // routing nodes (alias, retain, stop) keep their input's type
};
template <class Op, class V0, class... V>
    requires requires { typename Op::template result<V0, V...>; }
struct node_value<Op, V0, V...> {
    using type = typename Op::template result<V0, V...>;
};
template <class Op, class V0, class... V>
    requires elementwise_op<Op>
struct node_value<Op, V0, V...> {
    using E = std::remove_cvref_t<decltype(Op::value(std::declval<const element_of<V0>&>(),
                                                     std::declval<const element_of<V>&>()...))>;
    using type = value_of<E, broadcast_t<shape_of<V0>, shape_of<V>...>>;
};

template <class N>
inline constexpr bool is_handle_node_v = false;
template <class Tag, class V, bool RG>
inline constexpr bool is_handle_node_v<node<handle_term<Tag>, V, RG>> = true;

// Whether the operands are one handle twice (`t * t` inside let or a loop step).
template <class... Parts>
inline constexpr bool same_handle_operands = false;
template <class Part>
inline constexpr bool same_handle_operands<Part, Part> = [] {
    if constexpr (mp::mp_size<typename Part::nodes>::value == 1)
        return is_handle_node_v<mp::mp_front<typename Part::nodes>>;
    else return false;
}();

// Node N followed by the parts (whose lists, in list order, are PartList) as an expression.
template <class N, class PartList, class P, class... Parts>
constexpr auto assemble_with(const P& payload, const Parts&... parts) {
    using R = assembled<N, PartList>;
    using types = typename store_types_impl<typename R::store_type>::type;
    expr<typename R::nodes, typename R::store_type> e{{}};
    std::array<std::size_t, mp::mp_size<types>::value> off{};
    if constexpr (!std::is_same_v<payload_t<N>, none>)
        append_store<types>(e.store_, off, ftuple<group<payload_t<N>, 1>>{{{payload}}});
    append_parts_reversed<types>(e.store_, off, parts...);
    return e;
}

template <class P0, class... P>
constexpr const P0& first_of(const P0& p0, const P&...) {
    return p0;
}

/// Append a node for Op (with `payload`) over the given parts; returns the new expression.
template <class Op, class P, class... Parts>
constexpr auto assemble(P payload, const Parts&... parts) {
    // GCC tries to constant-fold every call to a constexpr function, also where the operands are
    // run-time leaves, and gives up only at the first non-constant; for a chain that re-evaluates
    // every sub-expression at every level. Asking whether this is constant evaluation is itself
    // non-constant in such a trial, so it ends here at once (halves a 200-node chain's build).
    if (std::is_constant_evaluated()) {}
    using V = typename node_value<Op, typename root_of<typename Parts::nodes>::value_type...>::type;
    constexpr bool rg = node_requires_grad<Op, root_of<typename Parts::nodes>::requires_grad...>;
    if constexpr (same_handle_operands<Parts...>) {
        // One input node used by both operands: the reverse rule sees the input once and
        // differentiates `t * t` as a square (g * (t + t), one product on the adjoint's path).
        using P0 = mp::mp_front<mp::mp_list<Parts...>>;
        return assemble_with<node<Op, V, rg, 1, 1>, mp::mp_list<P0>>(payload, first_of(parts...));
    } else {
        using N = node_for<Op, V, rg, mp::mp_size<typename Parts::nodes>::value...>;
        // Root first, then the inputs' lists, last input first (reverse topological order).
        return assemble_with<N, reversed<mp::mp_list<Parts...>>>(payload, parts...);
    }
}

/// Build the node `Op(t...)` from operands (leaves, expressions, handles, plain values).
template <class Op, class P, class... T>
constexpr auto make_node(P payload, T&&... t) {
    if (std::is_constant_evaluated()) {}  // see assemble
    using E = expression_element<T...>;
    if constexpr (elementwise_op<Op>) {
        constexpr bool ok = broadcastable_v<shape_of<value_t<T>>...>;
        // the shapes in the condition make both compilers print them beside the message
        static_assert(broadcastable_v<shape_of<value_t<T>>...>, CTGRAD_MSG_SHAPE_MISMATCH);
        if constexpr (ok) return assemble<Op>(payload, to_part<E>(std::forward<T>(t))...);
        else return none{};
    } else {
        return assemble<Op>(payload, to_part<E>(std::forward<T>(t))...);
    }
}

}  // namespace ctgrad::detail
