#pragma once
/// @file
/// How operands become inputs of a new node (capture rules) and how the node is formed.
///
/// Lvalue leaves and shared intermediates are referred to by pointer; everything else
/// (temporaries, plain values, other expressions) is copied, so an expression never dangles on a
/// temporary. Operands whose gradient would be lost are rejected at compile time. Forming a node
/// costs the same whatever the size of its inputs (graph/tree.hpp).
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
#include "store.hpp"
#include "tree.hpp"

namespace ctgrad::detail {

template <class T>
inline constexpr bool is_leaf_type = false;
template <class V, bool RG>
inline constexpr bool is_leaf_type<leaf<V, RG>> = true;

template <class T>
inline constexpr bool is_expr_type = false;
template <class N, class S>
inline constexpr bool is_expr_type<expr<N, S>> = true;

template <class T>
inline constexpr bool is_handle_type = false;
template <class Tag, class V, bool RG>
inline constexpr bool is_handle_type<handle<Tag, V, RG>> = true;

template <class T>
inline constexpr bool is_shared_type = false;
template <class N, class S, bool R>
inline constexpr bool is_shared_type<shared<N, S, R>> = true;

template <class T>
inline constexpr bool is_retained_v = false;
template <class N, class S>
inline constexpr bool is_retained_v<shared<N, S, true>> = true;

// A part made of the single node D with payload p.
template <class D, class P = none>
constexpr auto single(const P& p = P{}) {
    part<terminal_tree<D>, typename single_store<payload_t<D>>::type> r{};
    if constexpr (!std::is_same_v<payload_t<D>, none>) at<0>(r.store).v[0] = p;
    return r;
}

// A constant operand as a one-node part.
template <class V>
constexpr auto constant_tree(const V& v) {
    return single<node<const_term<V>, V, false>>(v);
}

/// The part an operand contributes (its tree and payloads); arithmetic scalars are converted to
/// element type E.
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
            return constant_tree(t.value());
        }
    } else if constexpr (is_shared_type<U>) {
        if constexpr (is_retained_v<U>) static_assert(lvalue, CTGRAD_MSG_TEMPORARY_RETAINED);
        else static_assert(lvalue, CTGRAD_MSG_TEMPORARY_SHARED);
        static_assert(!is_const, CTGRAD_MSG_CONST_SHARED);
        return single<node<shared_term<U>, typename U::value_type, U::requires_grad()>>(
            const_cast<U*>(&t));
    } else if constexpr (is_expr_type<U>) {
        return part<typename U::tree_type, typename U::store_type>{t.store_};
    } else if constexpr (is_handle_type<U>) {
        return single<node<handle_term<typename U::tag>, typename U::value_type,
                              U::requires_grad()>>();
    } else if constexpr (requires { t.as_part(); }) {
        return t.as_part();  // handles that refer to a leaf (functional transformations)
    } else if constexpr (std::is_arithmetic_v<U>) {
        return constant_tree(static_cast<E>(t));
    } else {
        return constant_tree(t);
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
inline constexpr bool same_handle_operands<Part, Part> =
    is_handle_node_v<typename Part::tree_type::desc> && Part::tree_type::size::value == 1;

// Append the stores of the parts, last part first (recursion depth: the number of parts).
template <class types, class S, std::size_t U, class P0, class... P>
constexpr void append_parts_reversed(S& dst, std::array<std::size_t, U>& off, const P0& p0,
                                     const P&... ps) {
    if constexpr (sizeof...(P) > 0) append_parts_reversed<types>(dst, off, ps...);
    append_store<types>(dst, off, p0.store);
}

// The store of node D with `payload` followed by the parts' stores, last part first (the order of
// the flat list: a node, then its inputs last to first).
template <class D, class S, class P, class... Parts>
constexpr S assemble_store(const P& payload, const Parts&... parts) {
    using types = typename store_types_impl<S>::type;
    S st{};
    std::array<std::size_t, mp::mp_size<types>::value> off{};
    if constexpr (!std::is_same_v<payload_t<D>, none>)
        append_store<types>(st, off, ftuple<group<payload_t<D>, 1>>{{{payload}}});
    if constexpr (sizeof...(Parts) > 0) append_parts_reversed<types>(st, off, parts...);
    return st;
}

template <class P0, class... P>
constexpr const P0& first_of(const P0& p0, const P&...) {
    return p0;
}

/// Form the node Op (with `payload`) over the input parts; returns the expression.
template <class Op, class P, class... Parts>
constexpr auto assemble(P payload, const Parts&... parts) {
    // GCC tries to constant-fold every call to a constexpr function, also where the operands are
    // run-time leaves, and gives up only at the first non-constant; for a chain that re-evaluates
    // every sub-expression at every level. Asking whether this is constant evaluation is itself
    // non-constant in such a trial, so it ends here at once.
    if (std::is_constant_evaluated()) {}
    using V = typename node_value<Op, typename Parts::tree_type::desc::value_type...>::type;
    constexpr bool rg = node_requires_grad<Op, Parts::tree_type::desc::requires_grad...>;
    if constexpr (same_handle_operands<Parts...>) {
        // One input node used by both operands: the reverse rule sees the input once and
        // differentiates `t * t` as a square (g * (t + t), one product on the adjoint's path).
        using P0 = mp::mp_front<mp::mp_list<Parts...>>;
        using D = node<Op, V, rg, 1, 1>;
        using S = merged_store<typename single_store<payload_t<D>>::type, typename P0::store_type>;
        return expr<tree<D, 2, void, typename P0::tree_type>, S>{
            assemble_store<D, S>(payload, first_of(parts...))};
    } else {
        constexpr std::size_t size = (1 + ... + Parts::tree_type::size::value);
        static_assert(size <= max_tree_size, CTGRAD_MSG_TOO_LARGE);
        using D = node_for<Op, V, rg, Parts::tree_type::size::value...>;
        using S = merged_store<typename single_store<payload_t<D>>::type, typename Parts::store_type...>;
        return expr<tree<D, size, void, typename Parts::tree_type...>, S>{
            assemble_store<D, S>(payload, parts...)};
    }
}

/// Build the node `Op(t...)` from operands (leaves, expressions, handles, plain values) as an
/// expression. This is how every op forms its node; see ops/ for examples.
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
