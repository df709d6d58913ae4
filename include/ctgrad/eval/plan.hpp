#pragma once
/// @file
/// What the evaluator chose for an expression type, as a compile-time value: which nodes are
/// fused into reductions, which run in SIMD packs, which reductions keep values or
/// pre-accumulate partials, which nodes have no workspace slot. Read by tests that must know
/// which path ran; evaluating an expression never instantiates it.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../analysis/flatten.hpp"
#include "../analysis/liveness.hpp"
#include "../graph/fwd.hpp"
#include "layout.hpp"

namespace ctgrad {

/// What the evaluator does with one node of an expression (see `evaluation_plan`).
///
/// Example: for `auto f = ctgrad::sum(x * a);` with a tensor leaf `x` and a scalar grad leaf `a`,
/// `ctgrad::evaluation_plan<decltype(f)>::nodes[1].fused` is true: `x * a` is evaluated element
/// by element inside the sum and never materialised.
struct node_plan {
    /// The node gets derivative code (an adjoint): it requires grad and a differentiable path
    /// leads to it from the root.
    bool live = false;
    /// An elementwise node evaluated and differentiated element by element inside the reduction
    /// that consumes it: no value slot, no adjoint.
    bool fused = false;
    /// No workspace slot: a leaf, constant, shared intermediate or `let` alias, whose value is
    /// read where it lives.
    bool slotless = false;
    /// A leaf or shared intermediate whose adjoint is its own `grad()` (or adjoint): consumers
    /// add into it directly.
    bool adjoint_in_grad = false;
    /// For a reduction over a fused region: its strategy during `backward()`; else `none`.
    region_strategy region = region_strategy::none;
    /// For a reduction over a fused region: the region runs in SIMD packs (not in constant
    /// evaluation), the elements left over by the last whole pack one at a time.
    bool packs = false;
};

namespace detail {

template <class L, class S>
struct plan_of_list {
    using A = analysis<L>;
    static constexpr std::size_t n = A::n;

    template <std::size_t K>
    static constexpr bool packs_at() {
        if constexpr (A::r.strategy[K] == region_strategy::none) return false;
        else return region_layout<A, L, K + 1>::packs;
    }
    static constexpr std::array<node_plan, n> nodes = []<std::size_t... K>(std::index_sequence<K...>) {
        return std::array<node_plan, n>{node_plan{A::live[K], A::fused[K], A::r.slotless[K], A::r.in_grad[K],
                                                  A::r.strategy[K], packs_at<K>()}...};
    }(std::make_index_sequence<n>{});
};

template <class E>
struct plan_of;
template <class N, class S>
struct plan_of<expr<N, S>> : plan_of_list<typename flat<N>::nodes, S> {};

}  // namespace detail

/// The evaluation strategy the evaluator chose for expression type `E` (an expression made by
/// ctgrad's operators; references and cv-qualifiers are stripped).
///
/// `nodes` has one `node_plan` per node of the expression's flat list: the root first, and every
/// node's inputs after it, the last input first (`nodes[1]` of `a * b` is `b`). The summaries say
/// whether any node takes each path. Nothing here is computed when an expression is evaluated:
/// the plan reads the same compile-time analysis the sweeps are generated from.
/// @code
/// ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
/// using P = ctgrad::evaluation_plan<decltype(ctgrad::sum(x * x))>;
/// static_assert(P::fused_regions == 1 && P::nodes[1].fused);
/// static_assert(P::nodes[0].region == ctgrad::region_strategy::keep);  // x * x kept, not recomputed
/// @endcode
template <class E>
struct evaluation_plan {
private:
    using impl = detail::plan_of<std::remove_cvref_t<E>>;
    static constexpr std::size_t count_if(bool (*pred)(const node_plan&)) {
        std::size_t c = 0;
        for (const node_plan& p : impl::nodes) c += pred(p) ? 1 : 0;
        return c;
    }

public:
    /// The number of nodes (copies of a subexpression counted apart).
    static constexpr std::size_t size = impl::n;
    /// One entry per node, root first (see above).
    static constexpr const std::array<node_plan, size>& nodes = impl::nodes;
    /// Reductions over a fused region.
    static constexpr std::size_t fused_regions =
        count_if([](const node_plan& p) { return p.region != region_strategy::none; });
    /// Nodes evaluated inside a fused region.
    static constexpr std::size_t fused_nodes = count_if([](const node_plan& p) { return p.fused; });
    /// Nodes without a workspace slot (leaves, constants, aliases) other than fused ones.
    static constexpr std::size_t slotless_nodes = count_if([](const node_plan& p) { return p.slotless; });
    /// Nodes that get derivative code.
    static constexpr std::size_t live_nodes = count_if([](const node_plan& p) { return p.live; });
    /// Some fused region runs in SIMD packs.
    static constexpr bool packs = count_if([](const node_plan& p) { return p.packs; }) != 0;
    /// Some reduction pre-accumulates its scalar inputs' partials during `backward()`.
    static constexpr bool preaccumulates =
        count_if([](const node_plan& p) { return p.region == region_strategy::preaccumulate; }) != 0;
    /// Some reduction keeps its region's values for the reverse sweep of `backward()`.
    static constexpr bool keeps =
        count_if([](const node_plan& p) { return p.region == region_strategy::keep; }) != 0;
};

}  // namespace ctgrad
