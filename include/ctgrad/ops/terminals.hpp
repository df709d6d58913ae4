#pragma once
/// @file
/// Structural nodes: where values enter an expression (leaves, constants, let handles) and nodes
/// that only route values and adjoints (alias, stop_gradient). Each states its value rule and its
/// reverse rule. Shared intermediates are in sharing/share.hpp, loop state in sharing/iterate.hpp.
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
    // In a checked build (CTGRAD_DEBUG), every read of a leaf through an expression first checks
    // that the leaf is still alive; otherwise these are plain member accesses.
    template <class L>
    static constexpr L& checked(L& l) {
#if CTGRAD_DEBUG
        l.alive_.check();
#endif
        return l;
    }
    template <class L>
    static constexpr auto& grad(L& l) { return checked(l).grad_; }
    template <class S>
    static constexpr auto& adjoint(S& s) noexcept { return s.adj_; }
    template <class S>
    static constexpr const auto& cached(const S& s) noexcept { return s.cached_value(); }
    template <class S, class Ctx>
    static constexpr void ensure(S& s, Ctx& ctx, bool live) { s.ensure(ctx, live); }
};

/// An lvalue leaf, referred to by pointer: reads its current value, accumulates into its grad.
template <class Leaf>
struct leaf_term {
    static constexpr op_info info{.label = "leaf"};
    using payload = Leaf*;
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(Leaf* p, S& s, Ctx&) { s.p = &leaf_access::checked(*p).value(); }
    template <class S, class G, class Ctx>
    static constexpr void backward(Leaf* p, const S&, const G& g, Ctx&) {
        accumulate(leaf_access::grad(*p), g);
    }
};

/// A constant copied into the expression (a scalar, a plain tensor, a temporary leaf's value).
template <class V>
struct const_term {
    static constexpr op_info info{.label = "constant"};
    using payload = V;
    template <class>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(const V& v, S& s, Ctx&) { s.p = &v; }
};

/// A placeholder of let/iterate that was never bound: using it is an error.
template <class Tag>
struct handle_term {
    static constexpr op_info info{.label = "handle"};
    template <class P, class S, class Ctx>
    static constexpr void forward(const P&, S&, Ctx&) {
        static_assert(dependent_false<P>, CTGRAD_MSG_UNBOUND_HANDLE);
    }
};

/// A use of a shared value (a let handle): same value as its input, adjoint added to it.
struct alias_op {
    // adjoints written by contribute()
    static constexpr op_info info{.label = "shared", .assigns_first = true};
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.p = &a; }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(none, const S&, const G& g, Ctx&, const In& in) {
        if constexpr (In::active) contribute(in, g);
    }
};

/// stop_gradient: passes the value, never an adjoint.
struct stop_op {
    static constexpr op_info info{.label = "stop_gradient", .nondiff = 1u};
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(none, S& s, Ctx&, const A& a) { s.p = &a; }
};

}  // namespace ctgrad::detail
