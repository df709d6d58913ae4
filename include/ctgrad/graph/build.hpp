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

// Traits asked of operand types, which may spell a whole tree, are classes whose answer is a type
// (std::bool_constant): a variable template or a static data member keyed on such a type is a
// variable whose name the compiler mangles, at a cost that grows with the tree (docs/design.md).
// (is_leaf_type and is_shared_type are in fwd.hpp)
template <class T>
struct is_expr_type : std::false_type {};
template <class N, class S>
struct is_expr_type<expr<N, S>> : std::true_type {};

template <class T>
struct is_retained_type : std::false_type {};
template <class N, class S>
struct is_retained_type<shared<N, S, true>> : std::true_type {};

// Whether an operand is a leaf that requires grad.
template <class U>
struct is_grad_leaf : std::false_type {};
template <class V>
struct is_grad_leaf<leaf<V, true>> : std::true_type {};

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

// What an operand contributes to a new node: its tree (a type) and its payload store (a value).
// The store is produced by overloads whose template arguments are small (leaf types, store
// types): a function whose name spells an expression's tree would cost in proportion to the
// tree's size at every build step (see analysis/flatten.hpp).

// The capture rules, checked once per operand type (static_asserts in a class body: no function).
// capture_rules says whether T may be captured; capture_check asserts it, one message per rule.
// Callers read `ok` from the rules, never from the (then invalid) checking class, and stop when it
// is false, so a broken rule gives one error and no cascade.
template <class T>
struct capture_rules {
    using U = std::remove_cvref_t<T>;
    static constexpr bool lvalue() { return std::is_lvalue_reference<T>::value; }
    static constexpr bool is_const() { return std::is_const<std::remove_reference_t<T>>::value; }
    static constexpr bool shared() { return is_shared_type<U>::value; }
    static constexpr bool retained() { return is_retained_type<U>::value; }
    using temporary_leaf = std::bool_constant<is_grad_leaf<U>::value && !lvalue()>;
    using const_leaf = std::bool_constant<is_grad_leaf<U>::value && is_const()>;
    using temporary_retained = std::bool_constant<retained() && !lvalue()>;
    using temporary_shared = std::bool_constant<shared() && !retained() && !lvalue()>;
    using const_shared = std::bool_constant<shared() && is_const()>;
    using container = std::bool_constant<foreign_container<U>>;
    using ok = std::bool_constant<!(temporary_leaf::value || const_leaf::value ||
                                    temporary_retained::value || temporary_shared::value ||
                                    const_shared::value || container::value)>;
};
template <class T>
struct capture_check : capture_rules<T> {
    using r = capture_rules<T>;
    static_assert(!r::temporary_leaf::value, CTGRAD_MSG_TEMPORARY_LEAF);
    static_assert(!r::const_leaf::value, CTGRAD_MSG_CONST_LEAF);
    static_assert(!r::temporary_retained::value, CTGRAD_MSG_TEMPORARY_RETAINED);
    static_assert(!r::temporary_shared::value, CTGRAD_MSG_TEMPORARY_SHARED);
    static_assert(!r::const_shared::value, CTGRAD_MSG_CONST_SHARED);
    static_assert(!r::container::value, CTGRAD_MSG_CONTAINER);
};

// The tree an operand of type T contributes (arithmetic scalars become constants of type E).
template <class E, class T, class U = std::remove_cvref_t<T>>
struct tree_of_impl {
    using type = terminal_tree<node<const_term<std::conditional_t<std::is_arithmetic<U>::value, E, U>>,
                                    std::conditional_t<std::is_arithmetic<U>::value, E, U>, false>>;
};
template <class E, class T, class V, bool RG>
struct tree_of_impl<E, T, leaf<V, RG>> {
    using L = std::conditional_t<RG, leaf<V, RG>, const leaf<V, RG>>;
    using type = std::conditional_t<RG || std::is_lvalue_reference_v<T>,
                                    terminal_tree<node<leaf_term<L>, V, RG>>,
                                    terminal_tree<node<const_term<V>, V, false>>>;
};
template <class E, class T, class N, class S, bool R>
struct tree_of_impl<E, T, shared<N, S, R>> {
    using U = shared<N, S, R>;
    using type = terminal_tree<node<shared_term<typename U::base_type>, typename U::value_type, U::requires_grad()>>;
};
template <class E, class T, class N, class S>
struct tree_of_impl<E, T, expr<N, S>> {
    using type = N;
};
template <class E, class T, class Tag, class V, bool RG>
struct tree_of_impl<E, T, handle<Tag, V, RG>> {
    using type = terminal_tree<node<handle_term<Tag>, V, RG>>;
};
template <class E, class T, class U>
    requires requires(const U& u) { u.as_part(); }
struct tree_of_impl<E, T, U> {
    using type = typename decltype(std::declval<const U&>().as_part())::tree_type;
};
template <class E, class T>
using tree_of = typename tree_of_impl<E, T>::type;

// The payload store an operand contributes.
template <class E, class V>
constexpr auto store_of(leaf<V, true>& l) {
    return single<node<leaf_term<leaf<V, true>>, V, true>>(&l).store;
}
template <class E, class V>
constexpr auto store_of(const leaf<V, true>& l) {  // rejected by capture_check
    return single<node<leaf_term<leaf<V, true>>, V, true>>(const_cast<leaf<V, true>*>(&l)).store;
}
template <class E, class V>
constexpr auto store_of(const leaf<V, false>& l) {
    return single<node<leaf_term<const leaf<V, false>>, V, false>>(&l).store;
}
template <class E, class V>
constexpr auto store_of(leaf<V, false>&& l) {  // a temporary leaf without grad: its value
    return constant_tree(l.value()).store;
}
template <class E, class N, class S, bool R>
constexpr auto store_of(const shared<N, S, R>& t) {
    using U = shared<N, S, R>;
    using B = typename U::base_type;
    return single<node<shared_term<B>, typename U::value_type, U::requires_grad()>>(
               static_cast<B*>(const_cast<U*>(&t)))
        .store;
}
template <class E, class S>
constexpr const S& store_of(const store_holder<S>& e) noexcept {
    return e.store_;
}
template <class E, class Tag, class V, bool RG>
constexpr ftuple<> store_of(const handle<Tag, V, RG>&) noexcept {
    return {};
}
template <class E, class U>
    requires requires(const U& u) { u.as_part(); }
constexpr auto store_of(const U& u) {
    return u.as_part().store;  // handles that refer to a leaf (functional transformations)
}
template <class E, class U>
    requires(!std::is_base_of<expression_base, U>::value)
constexpr auto store_of(const U& u) {
    if constexpr (std::is_arithmetic<U>::value) return constant_tree(static_cast<E>(u)).store;
    else return constant_tree(u).store;
}

/// The part an operand contributes (its tree and payloads); arithmetic scalars are converted to
/// element type E.
template <class E, class T>
constexpr auto to_part(T&& t) {
    [[maybe_unused]] constexpr std::size_t checked = sizeof(capture_check<T>);  // its errors
    if constexpr (!capture_rules<T>::ok::value) {
        // after capture_check's message, a constant stands in, so the caller compiles on and
        // no second error follows
        return constant_tree(value_t<T>{});
    } else {
        return part<tree_of<E, T>, std::remove_cvref_t<decltype(store_of<E>(static_cast<T&&>(t)))>>{
            store_of<E>(static_cast<T&&>(t))};
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
    r = r || op_traits<Op>::info.self_requires_grad;
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
struct same_handle_operands : std::false_type {};
template <class Part>
struct same_handle_operands<Part, Part>
    : std::bool_constant<is_handle_node_v<typename Part::tree_type::desc> &&
                         Part::tree_type::size::value == 1> {};

// Append stores, last first (recursion depth: the number of stores).
template <class types, class S, std::size_t U, class S0, class... Sr>
constexpr void append_stores_reversed(S& dst, std::array<std::size_t, U>& off, const S0& s0,
                                      const Sr&... sr) {
    if constexpr (sizeof...(Sr) > 0) append_stores_reversed<types>(dst, off, sr...);
    append_store<types>(dst, off, s0);
}

// The store of node D with `payload` followed by the inputs' stores, last first (the order of the
// flat list: a node, then its inputs last to first). Its arguments are stores, never trees.
template <class D, class S, class P, class... In>
constexpr S assemble_store(const P& payload, const In&... in) {
    using types = typename store_types_impl<S>::type;
    S st;  // every element is written below: no zeroing first (a cost per node that grows with the store)
    std::array<std::size_t, mp::mp_size<types>::value> off{};
    if constexpr (!std::is_same_v<payload_t<D>, none>)
        append_store<types>(st, off, ftuple<group<payload_t<D>, 1>>{{{payload}}});
    if constexpr (sizeof...(In) > 0) append_stores_reversed<types>(st, off, in...);
    return st;
}

template <class P0, class... P>
constexpr const P0& first_of(const P0& p0, const P&...) {
    return p0;
}

// The tree type and store type of node Op over input trees Tr with stores Sr.
template <class Op, class Tr, class Sr>
struct node_types;
template <class Op, class... Tr, class... Sr>
struct node_types<Op, mp::mp_list<Tr...>, mp::mp_list<Sr...>> {
    // (types, not static data members: see is_leaf_type)
    using V = typename node_value<Op, typename Tr::desc::value_type...>::type;
    using rg = std::bool_constant<node_requires_grad<Op, Tr::desc::requires_grad...>>;
    using twice = same_handle_operands<part<Tr, Sr>...>;
    using size = std::integral_constant<std::size_t, twice::value ? 2 : (1 + ... + Tr::size::value)>;
    using D = std::conditional_t<twice::value, node<Op, V, rg::value, 1, 1>,
                                 node_for<Op, V, rg::value, Tr::size::value...>>;
    using tree_type = std::conditional_t<twice::value, tree<D, 2, void, mp::mp_front<mp::mp_list<Tr...>>>,
                                         tree<D, size::value, void, Tr...>>;
    using store_type = std::conditional_t<
        twice::value, merged_store<typename single_store<payload_t<D>>::type, mp::mp_front<mp::mp_list<Sr...>>>,
        merged_store<typename single_store<payload_t<D>>::type, Sr...>>;
};

/// Form the node Op (with `payload`) over the input parts; returns the expression.
template <class Op, class P, class... Parts>
constexpr auto assemble(P payload, const Parts&... parts) {
    // GCC tries to constant-fold every call to a constexpr function, also where the operands are
    // run-time leaves, and gives up only at the first non-constant; for a chain that re-evaluates
    // every sub-expression at every level. Asking whether this is constant evaluation is itself
    // non-constant in such a trial, so it ends here at once.
    if (std::is_constant_evaluated()) {}
    using R = node_types<Op, mp::mp_list<typename Parts::tree_type...>, mp::mp_list<typename Parts::store_type...>>;
    static_assert(R::size::value <= max_tree_size, CTGRAD_MSG_TOO_LARGE);
    if constexpr (R::twice::value) {
        // One input node used by both operands: the reverse rule sees the input once and
        // differentiates `t * t` as a square (g * (t + t), one product on the adjoint's path).
        return expr<typename R::tree_type, typename R::store_type>{
            {}, {}, {assemble_store<typename R::D, typename R::store_type>(payload, first_of(parts...).store)}};
    } else {
        return expr<typename R::tree_type, typename R::store_type>{
            {}, {}, {assemble_store<typename R::D, typename R::store_type>(payload, parts.store...)}};
    }
}

/// Build the node `Op(t...)` from operands (leaves, expressions, handles, plain values) as an
/// expression. This is how every op forms its node; see ops/ for examples. Only this function and
/// the operator that calls it are instantiated per node with the operands' types; everything
/// they call is keyed on store types.
template <class Op, class P, class... T>
constexpr auto make_node(P payload, T&&... t) {
    if (std::is_constant_evaluated()) {}  // see assemble
    constexpr bool op_ok = check_op<Op>();  // its own message; no second error here
    using E = expression_element<T...>;
    [[maybe_unused]] constexpr std::size_t checked = (sizeof(capture_check<T>) + ...);  // their errors
    constexpr bool captures = op_ok && (capture_rules<T>::ok::value && ...);
    constexpr bool ok = captures && (!elementwise_op<Op> || broadcastable_v<shape_of<value_t<T>>...>);
    if constexpr (elementwise_op<Op> && captures) {
        // the shapes in the condition make both compilers print them beside the message
        static_assert(broadcastable_v<shape_of<value_t<T>>...>, CTGRAD_MSG_SHAPE_MISMATCH);
    }
    if constexpr (!ok) {
        return none{};
    } else {
        using R = node_types<Op, mp::mp_list<tree_of<E, T>...>,
                             mp::mp_list<std::remove_cvref_t<decltype(store_of<E>(static_cast<T&&>(t)))>...>>;
        static_assert(R::size::value <= max_tree_size, CTGRAD_MSG_TOO_LARGE);
        if constexpr (R::twice::value) {
            return expr<typename R::tree_type, typename R::store_type>{
                {}, {}, {assemble_store<typename R::D, typename R::store_type>(payload, store_of<E>(first_of(t...)))}};
        } else {
            return expr<typename R::tree_type, typename R::store_type>{
                {}, {}, {assemble_store<typename R::D, typename R::store_type>(payload, store_of<E>(static_cast<T&&>(t))...)}};
        }
    }
}

}  // namespace ctgrad::detail
