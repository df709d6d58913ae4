#pragma once
/// @file
/// ctgrad::iterate<N>: z(k+1) = step(z(k)) with every state shared, compiled once for any N.
#include <array>
#include <concepts>

#include "handle.hpp"

namespace ctgrad {
namespace detail {

template <class V>
struct loop_context {
    const V* state = nullptr;
    V* state_adj = nullptr;
    std::size_t k = 0;
};

// The loop state inside a step body: read from the loop, adjoint handed back to it.
struct state_term {
    template <class S, class Ctx>
    static constexpr void forward(none, S& s, Ctx& ctx) { s.v = *ctx.state; }
    template <class S, class G, class Ctx>
    static constexpr void backward(none, const S&, const G& g, Ctx& ctx) {
        accumulate(*ctx.state_adj, g);
    }
};
// The iteration number k inside a step body (no derivative).
struct index_term {
    template <class S, class Ctx>
    static constexpr void forward(none, S& s, Ctx& ctx) {
        s.v = static_cast<std::remove_cvref_t<decltype(s.v)>>(ctx.k);
    }
};

template <class Step>
struct index_tag {};

template <class D, std::size_t>
using as_state = node<state_term, typename D::value_type, D::requires_grad>;
template <class D, std::size_t>
using as_index = node<index_term, typename D::value_type, false>;

template <class Step, class V, bool RG, class T>
constexpr auto call_step(Step& step) {
    if constexpr (std::invocable<Step&, handle<index_tag<Step>, T, false>, handle<Step, V, RG>>)
        return step(handle<index_tag<Step>, T, false>{}, handle<Step, V, RG>{});
    else
        return step(handle<Step, V, RG>{});
}

/// Node of iterate<N>: runs the body N times forward, storing every step's workspace, then
/// runs the body's reverse sweep N times, last step first.
template <std::size_t N, class LB, class SB, class V>
struct iterate_op {
    using body = program<LB, SB>;
    using Vb = typename body::value_type;
    using payload = typename body::store_type;
    static constexpr bool self_requires_grad = root_of<LB>::requires_grad;
    template <class...>
    using result = V;
    template <class>
    struct slot {
        std::array<typename body::values_type, N> steps{};
        V out{};
        constexpr const V& get() const noexcept { return out; }
    };

    template <class S, class Ctx>
    static constexpr void forward(const payload& p, S& s, Ctx&, const V& init) {
        V z = init;
        for (std::size_t k = 0; k < N; ++k) {
            loop_context<V> c{&z, nullptr, k};
            body::forward(p, s.steps[k], c);
            z = convert<V>(body::result(s.steps[k]));
        }
        s.out = z;
    }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(payload& p, const S& s, const G& g, Ctx&, const In& in) {
        V gz = g;
        for (std::size_t k = N; k-- > 0;) {
            V acc = zeros<V>();
            loop_context<V> c{nullptr, &acc, k};
            body::reverse(p, s.steps[k], convert<Vb>(gz), c);
            gz = acc;
        }
        if constexpr (In::active) accumulate(*in.adj, gz);
    }
};

}  // namespace detail

/// z(0) = init, z(k+1) = step(z(k)) for a compile-time N; returns z(N) as an expression.
///
/// `step` takes a handle `(z)` or `(k, z)` and returns an expression; it is compiled once, so
/// compile time does not depend on N, while run time and storage are linear in N. Each state is
/// shared by all its uses, as with let.
/// @code
/// ctgrad::leaf x{0.1, ctgrad::requires_grad};
/// auto t = ctgrad::iterate<30>(x, [](auto t) { return t * t + 0.25; });
/// t.backward();                                   // d t30 / dx in x.grad()
/// @endcode
template <std::size_t N, class Init, class Step>
    requires detail::operand<Init>
constexpr auto iterate(Init&& init, Step step) {
    using V = value_t<Init>;
    using T = detail::element_of<V>;
    constexpr bool rg0 = requires_grad_v<Init>;
    constexpr bool rg = rg0 || requires_grad_v<decltype(detail::call_step<Step, V, rg0, T>(step))>;
    auto body = detail::to_part<T>(detail::call_step<Step, V, rg, T>(step));
    using L0 = typename decltype(body)::nodes;
    using L1 = detail::resolve_handles<Step, detail::as_state, L0>;
    using LB = detail::resolve_handles<detail::index_tag<Step>, detail::as_index, L1>;
    static_assert(std::is_same_v<detail::shape_of<typename detail::root_of<LB>::value_type>,
                                 detail::shape_of<V>>,
                  "ctgrad::iterate: step must return a value of the same shape as init");
    return detail::assemble<detail::iterate_op<N, LB, decltype(body.store), V>>(
        body.store, detail::to_part<T>(std::forward<Init>(init)));
}

}  // namespace ctgrad
