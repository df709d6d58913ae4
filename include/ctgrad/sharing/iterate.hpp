#pragma once
/// @file
/// ctgrad::iterate<N>: z(k+1) = step(z(k)) with every state shared, compiled once for any N.
#include <array>
#include <concepts>
#include <tuple>
#include <vector>

#include "../analysis/flatten.hpp"
#include "../diagnostics.hpp"
#include "handle.hpp"

namespace ctgrad {
namespace detail {

// What a step body's terminals read: the state, its adjoint, k, and the values from outside the
// body (tuples of pointers, one per outer value; see outer_term).
template <class V, class Outer = std::tuple<>, class OuterAdj = std::tuple<>>
struct loop_context {
    const V* state = nullptr;
    V* state_adj = nullptr;
    std::size_t k = 0;
    Outer outer{};
    OuterAdj outer_adj{};
    session* ses = nullptr;  // the evaluation (for shared intermediates used in the body)
    bool count = false;      // the steps' reverse sweeps will run (see counting)
};

// The loop state inside a step body: read from the loop, adjoint handed back to it.
struct state_term {
    static constexpr op_info info{.label = "loop state"};
    template <class S, class Ctx>
    static constexpr void forward(none, S& s, Ctx& ctx) { s.v = *ctx.state; }
    template <class S, class G, class Ctx>
    static constexpr void backward(none, const S&, const G& g, Ctx& ctx) {
        accumulate(*ctx.state_adj, g);
    }
};
// A value from outside a step body (an enclosing let's handle, an outer loop's state or k): the
// loop node takes it as extra input I; the body reads it through the context, and its adjoint is
// summed over the steps and handed to that input.
template <std::size_t I>
struct outer_term {
    static constexpr op_info info{.label = "outer value"};
    template <class V>
    using slot = ref_slot<V>;
    template <class S, class Ctx>
    static constexpr void forward(none, S& s, Ctx& ctx) { s.p = std::get<I>(ctx.outer); }
    template <class S, class G, class Ctx>
    static constexpr void backward(none, const S&, const G& g, Ctx& ctx) {
        accumulate(*std::get<I>(ctx.outer_adj), g);
    }
};

// The iteration number k inside a step body (no derivative).
struct index_term {
    static constexpr op_info info{.label = "k"};
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

// The state's adjoint sum starts at sum_origin (-0), so the compiler drops the first addition
// and the adjoint's path through a step is the step's own arithmetic.
template <class V>
constexpr V adjoint_origin() {
    if constexpr (!is_dyn_v<V>) return filled<V>(sum_origin<element_of<V>>());
    else return zeros<V>();
}

// The loop machinery shared by iterate and fori_loop: n forward sweeps of the step body, each
// step's workspace kept, then n reverse sweeps, last step first.
template <class LB, class SB, class V>
struct loop_body {
    using body = program<LB, SB>;
    using Vb = typename body::value_type;
    using values_type = typename body::values_type;

    template <class Steps, class Outer, class Ctx>
    static constexpr V forward(const SB& s, Steps& steps, std::size_t n, const V& init, const Outer& outer,
                               const Ctx& ctx) {
        V z = init;
        for (std::size_t k = 0; k < n; ++k) {
            loop_context<V, Outer> c{&z, nullptr, k, outer, {}, ctx.ses, counting(ctx)};
            body::forward(s, steps[k], c);
            z = convert<V>(body::result(steps[k]));
        }
        return z;
    }
    template <class Steps, class G, class OuterAdj, class Ctx>
    static constexpr V reverse(SB& s, const Steps& steps, std::size_t n, const G& g,
                               const OuterAdj& outer_adj, const Ctx& ctx) {
        V gz = g;
        for (std::size_t k = n; k-- > 0;) {
            V acc = adjoint_origin<V>();
            loop_context<V, std::tuple<>, OuterAdj> c{nullptr, &acc, k, {}, outer_adj, ctx.ses, true};
            body::reverse(s, steps[k], convert<Vb>(gz), c);
            gz = acc;
        }
        return gz;
    }
    // The reverse sweeps and the contributions to the loop node's inputs: init, then the outer
    // values (their adjoints summed over the steps).
    template <class Steps, class G, class Ctx, class In, class... InO>
    static constexpr void backward(SB& p, const Steps& steps, std::size_t n, const G& g,
                                   const Ctx& ctx, const In& in, const InO&... io) {
        std::tuple<std::remove_cvref_t<decltype(io.value)>...> acc{
            adjoint_origin<std::remove_cvref_t<decltype(io.value)>>()...};
        const auto ptrs = std::apply([](auto&... a) { return std::tuple{&a...}; }, acc);
        const V gz = reverse(p, steps, n, g, ptrs, ctx);
        if constexpr (In::active) contribute(in, gz);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    if constexpr (InO::active) contribute(io, std::get<I>(acc));
                }(),
                ...);
        }(std::index_sequence_for<InO...>{});
    }
};

/// Node of iterate<N>: the N step workspaces live in the expression's workspace (no heap).
template <std::size_t N, class LB, class SB, class V>
struct iterate_op {
    // adjoints written by contribute()
    static constexpr op_info info{
        .label = "iterate", .assigns_first = true, .self_requires_grad = root_of<LB>::requires_grad};
    using loop = loop_body<LB, SB, V>;
    using payload = SB;
    template <class...>
    using result = V;
    template <class>
    struct slot {
        std::array<typename loop::values_type, N> steps;  // written before read: not zeroed
        V out;
        constexpr const V& get() const noexcept { return out; }
    };

    template <class S, class Ctx, class... O>
    static constexpr void forward(const payload& p, S& s, Ctx& ctx, const V& init, const O&... outer) {
        s.out = loop::forward(p, s.steps, N, init, std::tuple<const O*...>{&outer...}, ctx);
    }
    template <class S, class G, class Ctx, class... In>
    static constexpr void backward(payload& p, const S& s, const G& g, Ctx& ctx, const In&... in) {
        loop::backward(p, s.steps, N, g, ctx, in...);
    }
};

template <class SB>
struct fori_payload {
    SB body{};
    std::size_t n = 0;
};

/// Node of fori_loop: a run-time count; the n step workspaces are stored in a std::vector
/// during evaluation (the one heap allocation with fixed shapes).
template <class LB, class SB, class V>
struct fori_op {
    // adjoints written by contribute()
    static constexpr op_info info{
        .label = "fori_loop", .assigns_first = true, .self_requires_grad = root_of<LB>::requires_grad};
    using loop = loop_body<LB, SB, V>;
    using payload = fori_payload<SB>;
    template <class...>
    using result = V;
    template <class>
    struct slot {
        std::vector<typename loop::values_type> steps{};
        V out{};
        constexpr const V& get() const noexcept { return out; }
    };

    template <class S, class Ctx, class... O>
    static constexpr void forward(const payload& p, S& s, Ctx& ctx, const V& init, const O&... outer) {
        s.steps.assign(p.n, typename loop::values_type{});
        s.out = loop::forward(p.body, s.steps, p.n, init, std::tuple<const O*...>{&outer...}, ctx);
    }
    template <class S, class G, class Ctx, class... In>
    static constexpr void backward(payload& p, const S& s, const G& g, Ctx& ctx, const In&... in) {
        loop::backward(p.body, s.steps, p.n, g, ctx, in...);
    }
};

template <class D>
using handle_node_t = mp::mp_bool<is_handle_node_v<D>>;
template <class F>
struct outer_fn {
    template <class D>
    using fn = std::conditional_t<is_handle_node_v<D>,
                                  node<outer_term<mp::mp_find<F, D>::value>, typename D::value_type,
                                       D::requires_grad>,
                                  D>;
};
// A step body (its tree), its flat list with the state, k and outer values resolved (LB), and
// the handle nodes of the outer values it reads (F).
template <class SB, class LB, class F>
struct loop_parts {
    SB body;
    using list = LB;
    using outer = F;
};

// The step body of a loop, with its state and index handles resolved.
template <class Init, class Step>
constexpr auto loop_body_of(Step& step) {
    using V = value_t<Init>;
    using T = element_of<V>;
    constexpr bool rg0 = requires_grad_v<Init>;
    constexpr bool rg = rg0 || requires_grad_v<decltype(call_step<Step, V, rg0, T>(step))>;
    auto body = to_part<T>(call_step<Step, V, rg, T>(step));
    using L0 = typename flat<typename decltype(body)::tree_type>::nodes;
    using L1 = resolve_handles<Step, as_state, L0>;
    using L2 = resolve_handles<index_tag<Step>, as_index, L1>;
    static_assert(std::is_same_v<shape_of<typename root_of<L2>::value_type>, shape_of<V>>,
                  CTGRAD_MSG_ITERATE_SHAPE);
    // Handles left are outer values: each becomes an outer_term reading input I of the loop node.
    using F = distinct<mp::mp_copy_if<L2, handle_node_t>>;
    using LB = mp::mp_transform_q<outer_fn<F>, L2>;
    return loop_parts<decltype(body.store), LB, F>{body.store};
}

// The loop node over `init` and the outer values F (each given to the loop as its handle, which
// the enclosing let or loop then resolves like any other use).
template <class Op, class P, class Init, class... H>
constexpr auto assemble_loop(const P& p, const Init& init, mp::mp_list<H...>*) {
    return assemble<Op>(p, init, single<H>()...);
}

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
    auto lp = detail::loop_body_of<Init>(step);
    using LP = decltype(lp);
    using Op = detail::iterate_op<N, typename LP::list, decltype(lp.body), V>;
    return detail::assemble_loop<Op>(lp.body, detail::to_part<detail::element_of<V>>(std::forward<Init>(init)),
                                     static_cast<typename LP::outer*>(nullptr));
}

/// z(0) = init, z(k+1) = step(z(k)) for a run-time count n; returns z(n) as an expression.
///
/// Like iterate, but n is chosen at run time: evaluation stores the n states in a std::vector
/// (the one heap allocation with fixed shapes; transient in constant evaluation) and the reverse
/// pass runs step's derivative n times, last first.
/// @code
/// ctgrad::leaf k{0.5, ctgrad::requires_grad};
/// auto y = ctgrad::fori_loop(steps, 1.0, [&k](auto y) { return y - 0.01 * k * y; });  // Euler
/// @endcode
template <class Init, class Step>
    requires detail::operand<Init>
constexpr auto fori_loop(std::size_t n, Init&& init, Step step) {
    using V = value_t<Init>;
    auto lp = detail::loop_body_of<Init>(step);
    using LP = decltype(lp);
    using SB = decltype(lp.body);
    using Op = detail::fori_op<typename LP::list, SB, V>;
    return detail::assemble_loop<Op>(detail::fori_payload<SB>{lp.body, n},
                                     detail::to_part<detail::element_of<V>>(std::forward<Init>(init)),
                                     static_cast<typename LP::outer*>(nullptr));
}

}  // namespace ctgrad
