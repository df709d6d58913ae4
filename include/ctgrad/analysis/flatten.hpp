#pragma once
/// @file
/// From an expression tree to the flat node list the evaluator runs, once per evaluated type.
///
/// The list is the tree in pre-order with each node's inputs visited last to first: the root
/// first, and every node's inputs after it (reverse topological order). It is made by a stack
/// machine that pops sixteen nodes per instantiation, so the template depth is about a
/// sixteenth of the node count, whatever the shape of the tree, and no list is walked per node.
/// (No static data members here: a class whose arguments include a tree type pays, for each
/// static member used, in proportion to the tree's size; member types are free.)
#include <cstddef>
#include <type_traits>
#include <utility>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "../graph/tree.hpp"

namespace ctgrad::detail {

template <class Tag>
struct handle_term;  // ops/terminals.hpp
struct alias_op;

struct no_item {};

// A node waiting on the stack: tree N and the let bindings in scope (a list of bound_at).
template <class N, class Env>
struct pending {};
template <class Tag, std::size_t K>
struct bound_at {
    using tag = Tag;
    static constexpr bool found = true;
    static constexpr std::size_t at = K;
};

// Where handles of Tag are bound in Env (a short list: one entry per enclosing let).
template <class Tag, class Env>
struct lookup {
    static constexpr bool found = false;
};
template <class Tag, class E0, class... E>
struct lookup<Tag, mp::mp_list<E0, E...>>
    : std::conditional_t<std::is_same_v<typename E0::tag, Tag>, E0, lookup<Tag, mp::mp_list<E...>>> {};
// The descriptor of tree N at position K: a handle bound by an enclosing let becomes an alias
// of the bound root; anything else keeps its own.
template <class D, std::size_t K, class Env>
struct resolve_desc {
    using type = D;
};
template <class Tag, class V, bool RG, std::size_t K, class Env>
    requires lookup<Tag, Env>::found
struct resolve_desc<node<handle_term<Tag>, V, RG>, K, Env> {
    using type = node<alias_op, V, RG, lookup<Tag, Env>::at - K>;
};

// The bindings in scope below a node at position K.
template <class B, std::size_t K, class Env>
struct scope {
    using type = Env;
};
template <class Tag, std::size_t Rel, std::size_t K, class Env>
struct scope<binding<Tag, Rel>, K, Env> {
    using type = mp::mp_push_front<Env, bound_at<Tag, K + Rel>>;
};

// Push the inputs of tree N (at position K) so that the last input is on top. Spelt out for up to
// three inputs: this runs once per node, and each Mp11 call costs several instantiations of its
// own (about 190 KB of compiler memory per node before, for a 2,000-node expression 370 MB).
template <class N, std::size_t K, class Env, class Rest>
struct push_inputs;
template <class D, std::size_t S, class B, class... In, std::size_t K, class Env, class... R>
struct push_inputs<tree<D, S, B, In...>, K, Env, mp::mp_list<R...>> {
    using type = mp::mp_append<mp::mp_reverse<mp::mp_list<pending<In, Env>...>>, mp::mp_list<R...>>;
};
template <class D, std::size_t S, class B, std::size_t K, class Env, class... R>
struct push_inputs<tree<D, S, B>, K, Env, mp::mp_list<R...>> {
    using type = mp::mp_list<R...>;
};
template <class D, std::size_t S, class B, class I0, std::size_t K, class Env, class... R>
struct push_inputs<tree<D, S, B, I0>, K, Env, mp::mp_list<R...>> {
    using type = mp::mp_list<pending<I0, Env>, R...>;
};
template <class D, std::size_t S, class B, class I0, class I1, std::size_t K, class Env, class... R>
struct push_inputs<tree<D, S, B, I0, I1>, K, Env, mp::mp_list<R...>> {
    using type = mp::mp_list<pending<I1, Env>, pending<I0, Env>, R...>;
};
template <class D, std::size_t S, class B, class I0, class I1, class I2, std::size_t K, class Env,
          class... R>
struct push_inputs<tree<D, S, B, I0, I1, I2>, K, Env, mp::mp_list<R...>> {
    using type = mp::mp_list<pending<I2, Env>, pending<I1, Env>, pending<I0, Env>, R...>;
};

// One pop of the stack machine: the entry for position K and the stack after it.
template <class Stack, std::size_t K>
struct pop1 {
    using entry = no_item;
    using stack = Stack;
};
template <class N, class Env, class... R, std::size_t K>
struct pop1<mp::mp_list<pending<N, Env>, R...>, K> {
    using entry = typename resolve_desc<typename N::desc, K, Env>::type;
    using stack = typename push_inputs<N, K, typename scope<typename N::binds, K, Env>::type,
                                       mp::mp_list<R...>>::type;
};

// Sixteen pops, one after the other (each member alias completes the previous pop first, so the
// pops do not nest). A pop of an empty stack gives no entry and leaves the position unused.
template <class S0, std::size_t K0>
struct chunk16 {
    using p0 = pop1<S0, K0>;
    using p1 = pop1<typename p0::stack, K0 + 1>;
    using p2 = pop1<typename p1::stack, K0 + 2>;
    using p3 = pop1<typename p2::stack, K0 + 3>;
    using p4 = pop1<typename p3::stack, K0 + 4>;
    using p5 = pop1<typename p4::stack, K0 + 5>;
    using p6 = pop1<typename p5::stack, K0 + 6>;
    using p7 = pop1<typename p6::stack, K0 + 7>;
    using p8 = pop1<typename p7::stack, K0 + 8>;
    using p9 = pop1<typename p8::stack, K0 + 9>;
    using p10 = pop1<typename p9::stack, K0 + 10>;
    using p11 = pop1<typename p10::stack, K0 + 11>;
    using p12 = pop1<typename p11::stack, K0 + 12>;
    using p13 = pop1<typename p12::stack, K0 + 13>;
    using p14 = pop1<typename p13::stack, K0 + 14>;
    using p15 = pop1<typename p14::stack, K0 + 15>;
    using entries = mp::mp_list<typename p0::entry, typename p1::entry, typename p2::entry, typename p3::entry, typename p4::entry, typename p5::entry, typename p6::entry, typename p7::entry, typename p8::entry, typename p9::entry, typename p10::entry, typename p11::entry, typename p12::entry, typename p13::entry, typename p14::entry, typename p15::entry>;
    using stack = typename p15::stack;
};

// The chunks of entries from stack S on.
template <class S, std::size_t K>
struct run_chunks {
    using c = chunk16<S, K>;
    using type = mp::mp_push_front<typename run_chunks<typename c::stack, K + 16>::type,
                                   typename c::entries>;
};
template <std::size_t K>
struct run_chunks<mp::mp_list<>, K> {
    using type = mp::mp_list<>;
};

/// flat<N>: the flat node list of tree N (`nodes`).
template <class N>
struct flat {
    using nodes = mp::mp_remove<
        mp::mp_apply<mp::mp_append,
                     typename run_chunks<mp::mp_list<pending<N, mp::mp_list<>>>, 0>::type>,
        no_item>;
};

}  // namespace ctgrad::detail
