#pragma once
/// @file
/// Structural nodes: where values enter an expression (leaves, constants, retained
/// intermediates, let handles, loop state) and nodes that only route values and adjoints
/// (alias, retain, stop_gradient). Each states its value rule and its reverse rule.
#include "../eval/program.hpp"
#include "../graph/fwd.hpp"

namespace ctgrad::detail {

// Slot that refers to a value stored elsewhere (a leaf, a constant, another node) instead of
// copying it.
template <class V>
struct ref_slot {
    const V* p;  // set by the forward sweep before anything reads it: not zeroed first
    constexpr const V& get() const noexcept { return *p; }
};

struct leaf_access {
    template <class L>
    static constexpr auto& grad(L& l) noexcept { return l.grad_; }
};

/// An lvalue leaf, referred to by pointer: reads its current value, accumulates into its grad.
template <class Leaf>
struct leaf_term {
    static constexpr const char* label = "leaf";
    using payload = Leaf*;
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(Leaf* p, S& s, Ctx&) { s.p = &p->value(); }
    template <class S, class G, class Ctx>
    static constexpr void backward(Leaf* p, const S&, const G& g, Ctx&) {
        accumulate(leaf_access::grad(*p), g);
    }
};

/// A constant copied into the expression (a scalar, a plain tensor, a temporary leaf's value).
template <class V>
struct const_term {
    static constexpr const char* label = "constant";
    using payload = V;
    template <class>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(const V& v, S& s, Ctx&) { s.p = &v; }
};

/// A placeholder of let/iterate that was never bound: using it is an error.
template <class Tag>
struct handle_term {
    static constexpr const char* label = "handle";
    template <class P, class S, class Ctx>
    static constexpr void forward(const P&, S&, Ctx&) {
        static_assert(dependent_false<P>, CTGRAD_MSG_UNBOUND_HANDLE);
    }
};

/// A use of a shared value (a let handle): same value as its input, adjoint added to it.
struct alias_op {
    static constexpr bool assigns_first = true;  // adjoints written by contribute()
    static constexpr const char* label = "shared";
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.p = &a; }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) contribute(in, g);
    }
};

/// The root of `e.retain_grad()`: owns the retained gradient.
template <class V>
struct retain_own {
    static constexpr bool assigns_first = true;  // adjoints written by contribute()
    static constexpr const char* label = "retain_grad";
    using payload = V;
    template <class>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(const V&, S& s, Ctx&, const V& a) { s.p = &a; }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(V& grad, const S&, const G& g, Ctx&, const In& in) {
        accumulate(grad, g);
        if constexpr (In::active) contribute(in, g);
    }
};

/// An lvalue retained intermediate used inside another expression, referred to by pointer;
/// its own sweep runs nested, so its grad() sees this expression's adjoint.
template <class H>
struct retained_term {
    static constexpr const char* label = "retained";
    using prog = program<typename H::nodes, typename H::store_type>;
    using payload = H*;
    template <class V>
    struct slot {
        typename prog::values_type w{};
        constexpr const V& get() const noexcept { return prog::result(w); }
    };
    template <class S, class Ctx>
    static constexpr void forward(H* p, S& s, Ctx&) {
        top_context c;
        prog::forward(p->store_, s.w, c);
    }
    template <class S, class G, class Ctx>
    static constexpr void backward(H* p, const S& s, const G& g, Ctx&) {
        top_context c;
        prog::reverse(p->store_, s.w, g, c);
    }
};

/// stop_gradient: passes the value, never an adjoint.
struct stop_op {
    static constexpr const char* label = "stop_gradient";
    static constexpr unsigned nondiff = 1u;
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.p = &a; }
};

}  // namespace ctgrad::detail
