#pragma once
/// @file
/// The forward and reverse sweeps generated from a node list.
///
/// The forward sweep visits nodes in topological order (the node list is root first, so that is
/// the list reversed) and stores each node's value in a flat, statically laid-out workspace. The
/// reverse sweep visits them root first and applies each live
/// node's local derivative once. Which nodes are live (need an adjoint) is decided at compile
/// time; a node that is not live gets no derivative code at all. Both sweeps are flat pack
/// expansions, so neither template nor constexpr depth grows with the expression's depth.
#include <array>
#include <cstddef>
#include <span>
#include <tuple>
#include <utility>

#include "../analysis/flatten.hpp"
#include "../config.hpp"
#include "../diagnostics.hpp"
#include "../detail/grouped.hpp"
#include "../graph/store.hpp"
#include "../graph/fwd.hpp"
#include "../graph/node.hpp"
#include "session.hpp"
#include "../values/pack.hpp"


namespace ctgrad {

/// How a reduction that fuses its elementwise input (`sum`, `mean`) evaluates and differentiates
/// that region during `backward()`; see `evaluation_plan` (eval/plan.hpp). During `value()`, and
/// in loop bodies, every region runs as `recompute` (no reverse sweep reads what it would keep).
/// Example: `static_assert(ctgrad::evaluation_plan<decltype(sum(x * x))>::nodes[0].region ==
/// ctgrad::region_strategy::keep);` for a grad tensor leaf `x`.
enum class region_strategy : unsigned char {
    none,           ///< not a reduction over a fused region
    recompute,      ///< the reverse rule recomputes each element's region values
    keep,           ///< the forward loop keeps the values of a one-node region for the reverse rule
    preaccumulate,  ///< the forward loop also sums the partials of scalar inputs; the reverse rule scales them
};

}  // namespace ctgrad

namespace ctgrad::detail {

struct node_info {
    bool rg;
    std::span<const std::size_t> off;
    unsigned nondiff;
    bool elementwise;  // an elementwise op with a tensor value
    bool fuses;        // a reduction that can consume an elementwise input element by element
    std::size_t shape; // shape id: equal ids, equal shapes
    bool scalar;       // a rank-0 value
    bool leaf;         // an lvalue leaf that requires grad
    int kind;          // what holds the value: see node_kind
};

template <class Leaf>
struct leaf_term;  // ops/terminals.hpp
template <class V>
struct const_term;
struct alias_op;

// Where a node's value is read from. Constants, leaves and let aliases (other than the root)
// have no workspace slot: their value is the constant in the store, the leaf's value, or the
// aliased node's value, so the forward sweep stores nothing for them (in a loop, nothing per step).
enum node_kind : int { kind_slot, kind_const, kind_leaf, kind_alias };
template <class D>
inline constexpr int node_kind_v = kind_slot;
template <class V0, class V, bool RG>
inline constexpr int node_kind_v<node<const_term<V0>, V, RG>> = kind_const;
template <class Leaf, class V, bool RG>
inline constexpr int node_kind_v<node<leaf_term<Leaf>, V, RG>> = kind_leaf;
template <class V, bool RG, std::size_t O>
inline constexpr int node_kind_v<node<alias_op, V, RG, O>> = kind_alias;
template <class S>
struct shared_term;  // sharing/share.hpp
template <class S, class V, bool RG>
inline constexpr int node_kind_v<node<shared_term<S>, V, RG>> = kind_leaf;
template <class Op>
inline constexpr bool is_shared_term_v = false;
template <class S>
inline constexpr bool is_shared_term_v<shared_term<S>> = true;
// A terminal's value and adjoint: a leaf's value and grad(), or a shared intermediate's value of
// this evaluation and its adjoint (Access is a parameter so that leaf_access may be completed
// later).
template <class Access = leaf_access, class P>
constexpr const auto& term_value(P* p) noexcept {
    if constexpr (requires { P::is_shared_intermediate; }) return Access::cached(*p);
    else return p->value();
}
// A use of a shared intermediate in the forward sweep, and after its contribution in the reverse.
template <class Access = leaf_access, class P, class Ctx>
constexpr void shared_ensure(P* p, Ctx& ctx, bool live) {
    Access::ensure(*p, ctx, live);
}
template <class Access = leaf_access, class P, class Ctx>
constexpr void shared_release(P* p, Ctx& ctx) {
    Access::release(*p, ctx);
}
template <class Access = leaf_access, class P>
constexpr auto& term_adjoint(P* p) noexcept {
    if constexpr (requires { P::is_shared_intermediate; }) return Access::adjoint(*p);
    else return Access::grad(*p);
}

// Leaves (other than the root) have no adjoint of their own: contributions add straight into
// their grad(), which is where the gradient goes anyway (no copy pass, no zeroing, no buffer).
template <class D>
inline constexpr bool grad_leaf_v = false;
template <class Leaf, class V, bool RG>
inline constexpr bool grad_leaf_v<node<leaf_term<Leaf>, V, RG>> = RG && !std::is_const_v<Leaf>;
// A shared intermediate that requires grad: contributions add into its adjoint, which it
// propagates once, after its last use (see sharing/share.hpp).
template <class S, class V, bool RG>
inline constexpr bool grad_leaf_v<node<shared_term<S>, V, RG>> = RG;

// Reductions that take an elementwise input element by element (sum, mean) declare `fuses_input`
// and say how the running sum becomes their value and how their adjoint seeds each element.
template <class Op>
constexpr bool fuses_input() {
    return op_traits<Op>::info.fuses_input;
}

template <class L>
struct analysis;

template <class... D>
struct analysis<mp::mp_list<D...>> {
    static constexpr std::size_t n = sizeof...(D);
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    struct result_t {
        // live[k]: node k needs an adjoint (it requires grad and a differentiable path leads to
        // it from the root). Lists are root first, so every node's inputs come after it.
        std::array<bool, n> live{};
        // The first contribution to node c's adjoint in the reverse sweep (which visits nodes
        // root first) comes from input first_i[c] of node first_k[c]: it may assign instead of
        // adding, so no adjoint is ever zeroed up front.
        std::array<std::size_t, n> first_k{};
        std::array<std::size_t, n> first_i{};
        // fused[k]: an elementwise tensor node evaluated and differentiated element by element
        // inside the reduction that consumes it (directly or through other fused nodes of the
        // same shape); it has no value slot and no adjoint. region[k]: the first node of k's
        // region (the reduction's input); extent[r]: the region that starts at node r and its
        // inputs lie within nodes r .. r + extent[r] - 1.
        std::array<bool, n> fused{};
        std::array<std::size_t, n> region{};
        std::array<std::size_t, n> extent{};
        // strategy[k]: for a reduction over a region, what its loops do during backward().
        // keep: a region of one node, whose values it keeps (recomputing them would double the
        // region's only operation). preaccumulate: the region's live outside inputs are all
        // scalars (parameters broadcast over data), so its forward loop also sums their partials
        // and its reverse rule only scales those sums by the seed (one pass).
        std::array<region_strategy, n> strategy{};
        // in_grad[k]: node k is a live leaf whose adjoint is its grad() (see grad_leaf_v).
        std::array<bool, n> in_grad{};
        // slotless[k]: node k has no workspace slot (see node_kind); kind[k] says why, and
        // source[k] is the node whose value it is (an alias's, followed through aliases).
        std::array<bool, n> slotless{};
        std::array<int, n> kind{};
        std::array<std::size_t, n> source{};
    };
    using shapes = distinct<mp::mp_list<shape_of<typename D::value_type>...>>;
    static constexpr result_t r = [] {
        constexpr std::array<node_info, n> info{node_info{
            D::requires_grad, std::span<const std::size_t>(D::offsets), nondiff_mask<typename D::op>(),
            elementwise_op<typename D::op> && is_tensor_v<typename D::value_type>,
            fuses_input<typename D::op>(),
            mp::mp_find<shapes, shape_of<typename D::value_type>>::value,
            shape_of<typename D::value_type>::rank == 0, grad_leaf_v<D>, node_kind_v<D>}...};
        result_t a{};
        for (std::size_t k = 0; k < n; ++k) a.first_k[k] = a.first_i[k] = npos;
        a.live[0] = info[0].rg;
        for (std::size_t k = 0; k < n; ++k) {
            if (!a.live[k]) continue;
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k + info[k].off[i];
                if (info[c].rg && !((info[k].nondiff >> i) & 1u)) {
                    a.live[c] = true;
                    a.in_grad[c] = info[c].leaf;  // (never the root: c > k)
                    // contributions to a leaf's grad always add
                    if (a.first_k[c] == npos && !info[c].leaf) {
                        a.first_k[c] = k;
                        a.first_i[c] = i;
                    }
                }
            }
        }
        for (std::size_t k = 0; k < n; ++k) {
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k + info[k].off[i];
                if (!info[c].elementwise) continue;
                if (info[k].fuses && info[k].off.size() == 1) {
                    a.fused[c] = true;
                    a.region[c] = c;
                } else if (a.fused[k] && info[c].shape == info[k].shape) {
                    a.fused[c] = true;
                    a.region[c] = a.region[k];
                }
            }
        }
        // One pass over the fused nodes gives each region its extent, its number of nodes and
        // whether a live outside input has a tensor value.
        std::array<std::size_t, n> members{};
        std::array<bool, n> tensor_input{};
        for (std::size_t c = 0; c < n; ++c) {
            if (!a.fused[c]) continue;
            const std::size_t r = a.region[c];
            ++members[r];
            std::size_t last = c;
            for (std::size_t i = 0; i < info[c].off.size(); ++i) {
                const std::size_t b = c + info[c].off[i];
                if (b > last) last = b;
                if (!a.fused[b] && a.live[b] && !((info[c].nondiff >> i) & 1u) && !info[b].scalar)
                    tensor_input[r] = true;
            }
            if (last - r + 1 > a.extent[r]) a.extent[r] = last - r + 1;
        }
        for (std::size_t k = 0; k + 1 < n; ++k) {
            if (!info[k].fuses || info[k].off.size() != 1 || !a.fused[k + 1]) continue;
            a.strategy[k] = a.live[k] && !tensor_input[k + 1] ? region_strategy::preaccumulate
                            : members[k + 1] == 1             ? region_strategy::keep
                                                              : region_strategy::recompute;
        }
        for (std::size_t c = n; c-- > 0;) {
            a.kind[c] = info[c].kind;
            a.slotless[c] = c != 0 && info[c].kind != kind_slot;
            a.source[c] = a.slotless[c] && info[c].kind == kind_alias ? a.source[c + info[c].off[0]] : c;
        }
        return a;
    }();
    static constexpr const std::array<bool, n>& live = r.live;
    static constexpr const std::array<bool, n>& fused = r.fused;
    // Whether input i of node k gives the first contribution to the adjoint of node c.
    static constexpr bool first(std::size_t k, std::size_t i, std::size_t c) {
        return r.first_k[c] == k && r.first_i[c] == i;
    }
};

// The adjoint type of each node of L: its value type if live, else none.
template <class A, class L, class Seq>
struct adjoint_list;
template <class A, class... D, std::size_t... K>
struct adjoint_list<A, mp::mp_list<D...>, std::index_sequence<K...>> {
    using type = mp::mp_list<
        std::conditional_t<A::live[K] && !A::fused[K] && !A::r.in_grad[K], typename D::value_type, none>...>;
};

// A fused node's value is never materialised.
struct fused_slot {};

// A reduction over a one-node region: its value, and during backward() the region's values.
template <class V, class R>
struct keeping_slot {
    V v;
    R kept;
    constexpr const V& get() const noexcept { return v; }
};

// Whether an op's value and partials use only + - * / and so run unchanged on packs.
template <class Op>
constexpr bool lane_op() {
    return op_traits<Op>::info.lanes;
}

// X itself (P false) or its pack (P true, see values/pack.hpp).
template <class X, bool P>
using lane_t = typename std::conditional_t<P, lanes_of_impl<X>, std::type_identity<X>>::type;

// The layout of a fused region starting at node E (see program::region): its extent, which nodes
// belong to it, and the scalar outside inputs whose adjoints are summed in locals.
template <class A, class L, std::size_t E>
struct region_layout {
    static constexpr std::size_t Z = A::r.extent[E];
    using sub = mp::mp_take_c<mp::mp_drop_c<L, E>, Z>;
    // Whether node E + z belongs to this region (another region may lie within its extent).
    static constexpr bool in(std::size_t z) { return A::fused[E + z] && A::r.region[E + z] == E; }
    // Outside inputs with a scalar value (broadcast parameters such as mu, sigma): their adjoints
    // are summed in locals over the elements and added once, so the loop carries no
    // store-to-load chain through the adjoint workspace.
    static constexpr std::array<bool, Z> scalar_input = [] {
        std::array<bool, Z> b{};
        [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
            constexpr bool scalar[] = {shape_of<typename D::value_type>::rank == 0 ...};
            (
                [&] {
                    if constexpr (in(z) && A::live[E + z]) {
                        constexpr unsigned nd = nondiff_mask<typename D::op>();
                        for (std::size_t i = 0; i < D::offsets.size(); ++i) {
                            const std::size_t c = z + D::offsets[i];
                            if (!A::fused[E + c] && A::live[E + c] && !((nd >> i) & 1u) && scalar[c])
                                b[c] = true;
                        }
                    }
                }(),
                ...);
        }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        return b;
    }();
    using SE = shape_of<typename root_of<sub>::value_type>;
    using T = element_of<typename root_of<sub>::value_type>;
    // Whether a value can be read in packs: elements of type T, and a scalar (broadcast) or
    // of the region's shape (so elements j .. j + width - 1 are contiguous).
    template <class D>
    static constexpr bool fits() {
        using X = typename D::value_type;
        return std::is_same_v<element_of<X>, T> &&
               (shape_of<X>::rank == 0 || std::is_same_v<shape_of<X>, SE>);
    }
    template <std::size_t z, class Op, class V, bool RG, std::size_t... Off>
    static constexpr bool node_fits(node<Op, V, RG, Off...>*) {
        if constexpr (!in(z)) {
            return true;
        } else {
            constexpr bool inputs[] = {true, fits<mp::mp_at_c<sub, z + Off>>()...};
            bool ok = lane_op<Op>() && fits<node<Op, V, RG, Off...>>();
            for (bool b : inputs) ok = ok && b;
            return ok;
        }
    }
    // Whether the region runs in packs: T has one, every region op's rules are lane-generic
    // (`lanes`) and every value it reads fits.
    static constexpr bool packs = [] {
        if constexpr (!has_pack_v<T>) {
            return false;
        } else {
            return []<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                constexpr bool ok[] = {node_fits<z>(static_cast<D*>(nullptr))...};
                for (bool b : ok)
                    if (!b) return false;
                return true;
            }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        }
    }();
    // The locals of one element (P false) or of one pack of elements (P true).
    template <std::size_t c, class D, bool P>
    using local_t = std::conditional_t<scalar_input[c], lane_t<typename D::value_type, P>, none>;
    template <class Seq, bool P>
    struct local_list;
    template <std::size_t... z, bool P>
    struct local_list<std::index_sequence<z...>, P> {
        using type = mp::mp_list<local_t<z, mp::mp_at_c<sub, z>, P>...>;
    };
    template <bool P>
    using LAg = grouping<typename local_list<std::make_index_sequence<Z>, P>::type>;
    using LA = LAg<false>;
    using locals = typename LA::storage;
};

// A reduction that pre-accumulates: its value, and during backward() the sums of its scalar
// outside inputs' partials.
template <class V, class Locals>
struct preacc_slot {
    V v;
    Locals acc;
    constexpr const V& get() const noexcept { return v; }
};

template <class A, class L, std::size_t K, class D>
struct slot_for {
    using type = slot_t<D>;
};
template <class A, class L, std::size_t K, class D>
    requires(A::r.strategy[K] == region_strategy::keep)
struct slot_for<A, L, K, D> {
    using type = keeping_slot<typename D::value_type, typename mp::mp_at_c<L, K + 1>::value_type>;
};
template <class A, class L, std::size_t K, class D>
    requires(A::r.strategy[K] == region_strategy::preaccumulate)
struct slot_for<A, L, K, D> {
    using type = preacc_slot<typename D::value_type, typename region_layout<A, L, K + 1>::locals>;
};

template <class A, class L, class Seq>
struct slot_list;
template <class A, class... D, std::size_t... K>
struct slot_list<A, mp::mp_list<D...>, std::index_sequence<K...>> {
    using type = mp::mp_list<
        std::conditional_t<A::fused[K] || A::r.slotless[K], fused_slot,
                           typename slot_for<A, mp::mp_list<D...>, K, D>::type>...>;
};

/// Context of the outermost sweep (loop bodies get one that carries the loop state).
struct top_context {
    session* ses;
};
/// Context of the sweeps of backward(): a reverse sweep follows, so values worth keeping are kept.
struct backward_context {
    session* ses;
    bool count = true;  // this program's reverse sweep will run: its shared inputs count their uses
};

// Whether shared intermediates used in context Ctx count the use (its reverse sweep will run).
template <class Ctx>
constexpr bool counting(const Ctx& c) noexcept {
    if constexpr (requires { c.count; }) return c.count;
    else return false;
}
// The context for the inputs of a node: a node that is not live is never differentiated, so
// nothing below it (a loop body) counts uses.
template <bool Live, class Ctx>
constexpr Ctx context_below(const Ctx& c) noexcept {
    Ctx r = c;
    if constexpr (!Live && requires { r.count; }) r.count = false;
    return r;
}

// Elementwise forward rule as a type shared by every node of the same op (a lambda would be a new
// type, and a new instantiation of map, per node).
template <class Op>
struct op_value {
    template <class... X>
    constexpr auto operator()(const X&... x) const {
        return Op::value(x...);
    }
};

// Payload group G of a store, or none for nodes without a payload (G == number of groups).
template <std::size_t G, class S>
constexpr decltype(auto) payload_at(S& s, std::size_t pos) noexcept {
    if constexpr (G == mp::mp_size<typename store_types_impl<std::remove_const_t<S>>::type>::value)
        return none{};
    else
        return (at<G>(s).v[pos]);
}

// An input of a backward rule: its value and, when active, its adjoint. `First`: this is the first
// contribution to that adjoint, whose content is undefined until written.
template <bool Active, bool First, class V, class Adj>
constexpr auto make_input(const V& v, Adj* a) {
    if constexpr (Active) return input<V, true, First>{v, a};
    else return input<V, false>{v, none{}};
}

// Ops whose backward writes every input adjoint through contribute() (which assigns the first
// contribution); other ops get their inputs' adjoints zeroed before their first contribution.
template <class Op>
constexpr bool assigns_first() {
    return op_traits<Op>::info.assigns_first;
}

// Before a rule that adds to an adjoint receives its first contribution: make it zero.
template <bool First, class V>
constexpr void prepare(V& adj) {
    if constexpr (First) adj = zeros<V>();
}

// Whether a node's two inputs are one node (see assemble: `t * t` of a handle).
template <std::size_t... Off>
inline constexpr bool same_inputs = false;
template <std::size_t O>
inline constexpr bool same_inputs<O, O> = true;

// The binary elementwise Op applied to one input twice, as a unary op: its partial is the sum of
// Op's two (t * t: t + t), so the adjoint gets one product instead of two products and a sum.
template <class Op>
struct both_operands {
    template <std::size_t, class Y, class X>
    static constexpr auto partial(const Y& y, const X& x) {
        return Op::template partial<0>(y, x, x) + Op::template partial<1>(y, x, x);
    }
};

// The per-node code of the sweeps, keyed on small facts instead of on the node list.
//
// A function instantiated once per node of a program and named after the program's node list
// costs, in names alone, in proportion to the list: the whole expression costs the square of its
// size. So a node's forward and reverse step are function templates whose arguments are the op,
// the value type and a `step_facts` value (what the node does, which workspace groups it reads
// and writes); where in those groups is a run-time argument (`step_pos`), a constant once the
// sweep is inlined. A program instantiates one step per kind of node, not one per node.

/// Inputs a node may have for the keyed steps; nodes with more take the program's own path.
inline constexpr std::size_t step_max_inputs = 6;

/// Where a value is read: a workspace slot (0), a constant payload (1), or a leaf's or shared
/// intermediate's payload (2); `g` is the group in the workspace or the store.
struct value_kind {
    int kind = 0;
    std::size_t g = 0;
};
/// Where an adjoint lives: the adjoint workspace, or (term) a leaf's grad() or a shared
/// intermediate's adjoint, reached through its payload in group `g` of the store.
struct adjoint_kind {
    bool term = false;
    std::size_t g = 0;
};

/// What a node's steps do. `what`: 0 nothing (a fused node), 1 slotless (read where it lives),
/// 2 elementwise, 3 structural (the op's own forward/backward), 4 the program's own path (fused
/// reductions, nodes with many inputs).
struct step_facts {
    int what = 0;
    bool live = false;
    bool shared = false;   // a use of a shared intermediate
    bool in_grad = false;  // its adjoint is a terminal's (no reverse step of its own)
    bool twice = false;    // Op(t, t) of one handle
    std::size_t wg = 0, sg = 0, ag = 0;
    std::size_t nin = 0;
    std::array<value_kind, step_max_inputs> in_v{};
    std::array<adjoint_kind, step_max_inputs> in_a{};
    std::array<bool, step_max_inputs> in_active{};
    std::array<bool, step_max_inputs> in_first{};    // the contribution assigns (the rule writes it)
    std::array<bool, step_max_inputs> in_prepare{};  // zero the adjoint before the op's rule adds
};
/// Where a node's data is: its slot, payload and adjoint positions, and its inputs' value and
/// adjoint positions.
struct step_pos {
    std::size_t wp = 0, sp = 0, ap = 0;
    std::array<std::size_t, step_max_inputs> vp{};
    std::array<std::size_t, step_max_inputs> apos{};
};

template <class Op, class V, step_facts F, class S, class W, class Ctx, class Own>
constexpr void forward_step(const S& s, W& w, Ctx& ctx, const step_pos& p, Own own);
template <class Op, class V, step_facts F, class S, class W, class Adj, class Ctx, class Own>
constexpr void reverse_step(S& s, const W& w, Adj& adj, Ctx& ctx, const step_pos& p, Own own);

// Sweeps expand the node list and an index sequence in lockstep (a node's type comes from the
// pack, never from an indexed lookup into the list, which is linear per lookup on GCC), inside
// braced lists (not fold expressions, whose length Clang limits to 256). A node's slot, adjoint
// and payload are reached through tables (group, position), never through a function per node:
// the per-node code is the two sweep functions of that node and nothing else.
template <class L, class S>
struct program {
    using A = analysis<L>;
    static constexpr std::size_t n = A::n;
    using WG = grouping<typename slot_list<A, L, std::make_index_sequence<A::n>>::type>;
    using SG = store_index<L, S>;
    using store_type = S;
    using values_type = typename WG::storage;
    using value_type = typename root_of<L>::value_type;
    static constexpr bool root_live = A::live[0];
    // Whether some node has a run-time-length (dyn) value: its adjoint is sized (and zeroed) from
    // the forward value at the start of the reverse sweep.
    // (A braced list, not a fold: Clang limits folds to 256 operands.)
    static constexpr bool has_dyn = []<class... D>(mp::mp_list<D...>*) {
        constexpr bool dyn_value[] = {false, is_dyn_v<typename D::value_type>...};
        for (bool b : dyn_value)
            if (b) return true;
        return false;
    }(static_cast<L*>(nullptr));

    using AG = grouping<typename adjoint_list<A, L, std::make_index_sequence<n>>::type>;
    using adjoints_type = typename AG::storage;

    static constexpr const value_type& result(const values_type& w) {
        return at<WG::group[0]>(w)[WG::layout.pos[0]].get();
    }

    /// The value of node c: from its slot, or for a slotless node from the store or the leaf.
    template <std::size_t c>
    static constexpr const auto& val(const store_type& s, const values_type& w) {
        constexpr std::size_t src = A::r.source[c];
        if constexpr (!A::r.slotless[src]) return at<WG::group[src]>(w)[WG::layout.pos[src]].get();
        else if constexpr (A::r.kind[src] == kind_const) return payload_at<SG::group[src]>(s, SG::pos[src]);
        else return term_value(payload_at<SG::group[src]>(s, SG::pos[src]));
    }

    /// The adjoint of node c: its workspace slot, or for a leaf that requires grad its grad().
    template <std::size_t c>
    static constexpr auto& adjoint_of(const store_type& s, adjoints_type& adj) {
        if constexpr (A::r.in_grad[c]) return term_adjoint(payload_at<SG::group[c]>(s, SG::pos[c]));
        else return at<AG::group[c]>(adj)[AG::layout.pos[c]];
    }

    /// Forward sweep: nodes in topological order (the list reversed; node k of it is node
    /// n - 1 - k of L).
    template <class Ctx>
    static constexpr void forward(const store_type& s, values_type& w, Ctx& ctx) {
        forward_all(static_cast<reversed<L>*>(nullptr), std::make_index_sequence<n>{}, s, w, ctx);
    }

    /// Reverse sweep from the values of a forward sweep, seeded with `seed` at the root.
    template <class Ctx>
    static constexpr void reverse(store_type& s, const values_type& w,
                                                      const value_type& seed, Ctx& ctx) {
        if constexpr (root_live) {
            // Not zeroed: every adjoint's first contribution assigns (see analysis::first).
            adjoints_type adj;
            if constexpr (has_dyn) {
                if constexpr (is_dyn_v<value_type>) {
                    // an empty dyn adjoint is a zero that was never sized (a loop state the
                    // body ignores): nothing flows back
                    if (size_of(seed) == 0 && size_of(result(w)) != 0) return;
                    check_length(CTGRAD_MSG_LENGTH_SEED, size_of(seed),
                                 size_of(result(w)));
                }
                size_all(static_cast<L*>(nullptr), std::make_index_sequence<n>{}, s, w, adj);
            }
            at<AG::group[0]>(adj)[AG::layout.pos[0]] = seed;
            reverse_all(static_cast<L*>(nullptr), std::make_index_sequence<n>{}, s, w, adj, ctx);
        }
    }

private:
    // With a dyn value anywhere, every live adjoint is sized like its value and zeroed at the start
    // of the reverse sweep (size_adjoint), and contributions always add.
    static constexpr bool assigns = !has_dyn;

    // What the keyed steps need to know of each node's op (one row per node).
    struct op_row {
        bool elementwise = false, fuses = false, by_rule = false, shared = false, twice = false;
        unsigned nd = 0;
        std::size_t nin = 0;
        std::array<std::size_t, step_max_inputs> off{};
    };
    template <class Op, class V, bool RG, std::size_t... Off>
    static constexpr op_row row_of(node<Op, V, RG, Off...>*) {
        op_row r{elementwise_op<Op>, fuses_input<Op>(), assigns_first<Op>(), is_shared_term_v<Op>,
                 same_inputs<Off...>, nondiff_mask<Op>(), sizeof...(Off), {}};
        constexpr std::size_t offs[] = {0, Off...};
        for (std::size_t i = 0; i < sizeof...(Off) && i < step_max_inputs; ++i) r.off[i] = offs[i + 1];
        return r;
    }
    static constexpr std::array<op_row, n> rows = []<class... D>(mp::mp_list<D...>*) {
        return std::array<op_row, n>{row_of(static_cast<D*>(nullptr))...};
    }(static_cast<L*>(nullptr));

    // Where node c's value and adjoint are (kind and position).
    static constexpr std::pair<value_kind, std::size_t> value_loc(std::size_t c) {
        const std::size_t src = A::r.source[c];
        if (!A::r.slotless[src]) return {value_kind{0, WG::group[src]}, WG::layout.pos[src]};
        return {value_kind{A::r.kind[src] == kind_const ? 1 : 2, SG::group[src]}, SG::pos[src]};
    }
    static constexpr std::pair<adjoint_kind, std::size_t> adjoint_loc(std::size_t c) {
        if (A::r.in_grad[c]) return {adjoint_kind{true, SG::group[c]}, SG::pos[c]};
        return {adjoint_kind{false, AG::group[c]}, AG::layout.pos[c]};
    }
    struct step_tables {
        std::array<step_facts, n> facts{};
        std::array<step_pos, n> pos{};
    };
    static constexpr step_tables steps = [] {
        step_tables t{};
        for (std::size_t k = 0; k < n; ++k) {
            const op_row& r = rows[k];
            step_facts& f = t.facts[k];
            step_pos& p = t.pos[k];
            f.live = A::live[k];
            f.shared = r.shared;
            f.in_grad = A::r.in_grad[k];
            f.wg = WG::group[k];
            f.sg = SG::group[k];
            f.ag = AG::group[k];
            p.wp = WG::layout.pos[k];
            p.sp = SG::pos[k];
            p.ap = AG::layout.pos[k];
            const bool region = r.fuses && r.nin == 1 && A::fused[k + r.off[0]];
            if (A::fused[k]) f.what = 0;
            else if (A::r.slotless[k]) f.what = 1;
            else if (region || r.nin > step_max_inputs) f.what = 4;
            else if (r.elementwise) f.what = 2;
            else f.what = 3;
            if (f.what == 0 || f.what == 4) continue;  // (slotless aliases pass adjoints on: inputs too)
            f.twice = r.elementwise && r.twice && r.nd == 0;
            f.nin = r.nin;
            for (std::size_t i = 0; i < f.nin; ++i) {
                const std::size_t c = k + r.off[i];
                const auto [vk, vp] = value_loc(c);
                const auto [ak, ap] = adjoint_loc(c);
                f.in_v[i] = vk;
                f.in_a[i] = ak;
                p.vp[i] = vp;
                p.apos[i] = ap;
                const bool first = assigns && A::first(k, i, c);
                f.in_active[i] = A::live[c] && (f.twice || !((r.nd >> i) & 1u));
                if (r.elementwise) {
                    f.in_first[i] = first;
                } else {
                    f.in_first[i] = r.by_rule && first;
                    f.in_prepare[i] = !r.by_rule && f.in_active[i] && first;
                }
            }
        }
        return t;
    }();

    // The program's own path for node K (fused reductions, nodes with many inputs).
    template <std::size_t K, class D>
    struct own_path {
        template <class Ctx>
        static constexpr void forward(const store_type& s, values_type& w, Ctx& ctx) {
            forward_node<K>(static_cast<D*>(nullptr), s, w, ctx);
        }
        template <class Ctx>
        static constexpr void reverse(store_type& s, const values_type& w, adjoints_type& adj, Ctx& ctx) {
            reverse_node<K>(static_cast<D*>(nullptr), std::make_index_sequence<D::offsets.size()>{}, s, w,
                            adj, ctx);
        }
    };
    template <std::size_t K, class D>
    using own_t = std::conditional_t<steps.facts[K].what == 4, own_path<K, D>, none>;

    template <class... D, std::size_t... K, class Ctx>
    CTGRAD_SWEEP_INLINE static constexpr void forward_all(mp::mp_list<D...>*, std::index_sequence<K...>,
                                                          const store_type& s, values_type& w, Ctx& ctx) {
        [[maybe_unused]] const int seq[] = {
            0, (forward_step<typename D::op, typename D::value_type, steps.facts[n - 1 - K]>(
                    s, w, ctx, steps.pos[n - 1 - K], own_t<n - 1 - K, D>{}),
                0)...};
    }
    template <class... D, std::size_t... K, class Ctx>
    CTGRAD_SWEEP_INLINE static constexpr void reverse_all(mp::mp_list<D...>*, std::index_sequence<K...>,
                                                          store_type& s, const values_type& w,
                                                          adjoints_type& adj, Ctx& ctx) {
        [[maybe_unused]] const int seq[] = {
            0, (reverse_step<typename D::op, typename D::value_type, steps.facts[K]>(
                    s, w, adj, ctx, steps.pos[K], own_t<K, D>{}),
                0)...};
    }

    template <class... D, std::size_t... K>
    static constexpr void size_all(mp::mp_list<D...>*, std::index_sequence<K...>, const store_type& s,
                                   const values_type& w, adjoints_type& adj) {
        [[maybe_unused]] const int seq[] = {0, (size_adjoint<K>(static_cast<D*>(nullptr), s, w, adj), 0)...};
    }

    // A fused region: the elementwise nodes under a reduction, rooted at node E, evaluated for one
    // element j at a time with scalar values; no tensor per node. Inputs from outside the region
    // (leaves, data, materialised values) are read at element j, broadcasting as the ops would.
    template <std::size_t E>
    struct region {
        using RL = region_layout<A, L, E>;
        static constexpr std::size_t Z = RL::Z;
        using sub = typename RL::sub;
        static constexpr bool in(std::size_t z) { return RL::in(z); }
        using SE = shape_of<typename root_of<sub>::value_type>;
        using T = element_of<typename root_of<sub>::value_type>;
        static constexpr const std::array<bool, Z>& scalar_input = RL::scalar_input;

        // Per-node values and adjoints of one element (P false) or of one pack of elements (P true).
        template <std::size_t z, class D, bool P>
        using elem_t = std::conditional_t<in(z), lane_t<element_of<typename D::value_type>, P>, none>;
        template <std::size_t z, class D, bool P>
        using adj_t = std::conditional_t<in(z) && A::live[E + z],
                                         lane_t<element_of<typename D::value_type>, P>, none>;
        template <class Seq, bool P>
        struct lists;
        template <std::size_t... z, bool P>
        struct lists<std::index_sequence<z...>, P> {
            using values = grouping<mp::mp_list<elem_t<z, mp::mp_at_c<sub, z>, P>...>>;
            using adjoints = grouping<mp::mp_list<adj_t<z, mp::mp_at_c<sub, z>, P>...>>;
        };
        template <bool P>
        using RVg = typename lists<std::make_index_sequence<Z>, P>::values;
        template <bool P>
        using RAg = typename lists<std::make_index_sequence<Z>, P>::adjoints;
        template <bool P>
        using LAg = typename RL::template LAg<P>;
        using LA = typename RL::LA;
        using locals = typename RL::locals;
        template <bool P>
        using locals_t = typename LAg<P>::storage;

        static constexpr bool packs = RL::packs;

        // Calls f(integral_constant<c>) for every scalar outside input c.
        template <class F>
        static constexpr void each_local(F&& f) {
            [&]<std::size_t... c>(std::index_sequence<c...>) {
                (
                    [&] {
                        if constexpr (scalar_input[c]) f(std::integral_constant<std::size_t, c>{});
                    }(),
                    ...);
            }(std::make_index_sequence<Z>{});
        }
        template <bool P>
        static constexpr void locals_zero(locals_t<P>& loc) {
            each_local([&](auto c) {
                auto& l = at<LAg<P>::group[c]>(loc)[LAg<P>::layout.pos[c]];
                l = zero_of<std::remove_cvref_t<decltype(l)>>();
            });
        }

        // After the loop: add the locals, times `scale`, to the outside inputs' adjoints.
        template <class Scale = none>
        static constexpr void locals_finish(const store_type& s, const locals& loc, adjoints_type& adj,
                                            const Scale& scale = Scale{}) {
            each_local([&](auto c) {
                const auto& l = at<LA::group[c]>(loc)[LA::layout.pos[c]];
                if constexpr (std::is_same_v<Scale, none>) adjoint_of<E + c>(s, adj) += l;
                else adjoint_of<E + c>(s, adj) += scale * l;
            });
        }

        using RV = RVg<false>;
        using RA = RAg<false>;
        using rvalues = typename RV::storage;
        using radjoints = typename RA::storage;
        template <bool P>
        using rvalues_t = typename RVg<P>::storage;
        template <bool P>
        using radjoints_t = typename RAg<P>::storage;

        // Node E + c as an operand at element j (P: the pack of elements from j).
        template <std::size_t c, bool P>
        static constexpr decltype(auto) operand(std::size_t j, const store_type& s, const values_type& w,
                                                const rvalues_t<P>& rv) {
            if constexpr (A::fused[E + c]) {
                return (at<RVg<P>::group[c]>(rv)[RVg<P>::layout.pos[c]]);
            } else {
                const auto& v = val<E + c>(s, w);
                using X = std::remove_cvref_t<decltype(v)>;
                if constexpr (!P) {
                    return (elem(v, src_index<SE, shape_of<X>>(j)));
                } else if constexpr (shape_of<X>::rank == 0) {
                    return pack<T>(elem(v, 0));
                } else {
                    return pack<T>::load([&](std::size_t i) { return elem(v, i); }, j);
                }
            }
        }

        // The number of elements; operands of run-time length must agree.
        static constexpr std::size_t count(const store_type& s, const values_type& w) {
            if constexpr (!is_dyn_shape_v<SE>) {
                return SE::count;
            } else {
                std::size_t len = static_cast<std::size_t>(-1);
                [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                    (length_of_inputs<z>(static_cast<D*>(nullptr), s, w, len), ...);
                }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
                return len;
            }
        }
        template <std::size_t z, class Op, class V, bool RG, std::size_t... Off>
        static constexpr void length_of_inputs(node<Op, V, RG, Off...>*, const store_type& s, const values_type& w,
                                               std::size_t& len) {
            if constexpr (in(z))
                (length_of<z + Off>(s, w, len), ...);
        }
        template <std::size_t c>
        static constexpr void length_of(const store_type& s, const values_type& w, std::size_t& len) {
            if constexpr (!A::fused[E + c]) {
                const auto& v = val<E + c>(s, w);
                if constexpr (is_dyn_v<std::remove_cvref_t<decltype(v)>>) {
                    if (len == static_cast<std::size_t>(-1)) len = size_of(v);
                    else check_length(CTGRAD_MSG_LENGTH_ELEMENTWISE, len, size_of(v));
                }
            }
        }

        // Values of the region's nodes at element j (topological order: the sub-list reversed).
        template <bool P>
        static constexpr void forward(std::size_t j, const store_type& s, const values_type& w, rvalues_t<P>& rv) {
            [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                [[maybe_unused]] const int seq[] = {
                    0, (forward_at<Z - 1 - z, P>(static_cast<D*>(nullptr), j, s, w, rv), 0)...};
            }(static_cast<reversed<sub>*>(nullptr), std::make_index_sequence<Z>{});
        }
        template <std::size_t z, bool P, class Op, class V, bool RG, std::size_t... Off>
        static constexpr void forward_at(node<Op, V, RG, Off...>*, std::size_t j, const store_type& s,
                                         const values_type& w, rvalues_t<P>& rv) {
            if constexpr (in(z))
                at<RVg<P>::group[z]>(rv)[RVg<P>::layout.pos[z]] = Op::value(operand<z + Off, P>(j, s, w, rv)...);
        }

        // Adjoints at element j (P: the pack from j), seeded with g at E; outside inputs' adjoints
        // are added to.
        template <bool P, class Adj, class G>
        static constexpr void reverse(std::size_t j, const store_type& s, const values_type& w,
                                      const rvalues_t<P>& rv,
                                      Adj& adj, locals_t<P>& loc, const G& g) {
            radjoints_t<P> ra;
            at<RAg<P>::group[0]>(ra)[RAg<P>::layout.pos[0]] = g;
            [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                [[maybe_unused]] const int seq[] = {
                    0, (reverse_at<z, P>(static_cast<D*>(nullptr), std::make_index_sequence<D::offsets.size()>{},
                                         j, s, w, rv, ra, adj, loc),
                        0)...};
            }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        }
        template <std::size_t z, bool P, class Op, class V, bool RG, std::size_t... Off, std::size_t... I,
                  class Adj>
        static constexpr void reverse_at(node<Op, V, RG, Off...>*, std::index_sequence<I...>, std::size_t j,
                                         const store_type& s, const values_type& w, const rvalues_t<P>& rv, radjoints_t<P>& ra,
                                         Adj& adj, locals_t<P>& loc) {
            using RVp = RVg<P>;
            using RAp = RAg<P>;
            using LAp = LAg<P>;
            if constexpr (in(z) && A::live[E + z]) {
                constexpr unsigned nd = nondiff_mask<Op>();
                const auto& g = at<RAp::group[z]>(ra)[RAp::layout.pos[z]];
                const auto& y = at<RVp::group[z]>(rv)[RVp::layout.pos[z]];
                (
                    [&] {
                        constexpr std::size_t c = z + Off;
                        if constexpr (A::live[E + c] && !((nd >> I) & 1u)) {
                            const auto d = g * Op::template partial<I>(y, operand<z + Off, P>(j, s, w, rv)...);
                            if constexpr (A::fused[E + c]) {
                                // a region node has one consumer: its adjoint is this contribution
                                at<RAp::group[c]>(ra)[RAp::layout.pos[c]] = d;
                            } else if constexpr (scalar_input[c]) {
                                at<LAp::group[c]>(loc)[LAp::layout.pos[c]] += d;
                            } else {
                                // (packs run only where every live outside input is a scalar)
                                static_assert(!P);
                                auto& a = adjoint_of<E + c>(s, adj);
                                elem(a, src_index<SE, shape_of<std::remove_cvref_t<decltype(a)>>>(j)) += d;
                            }
                        }
                    }(),
                    ...);
            }
        }

        // Zero the adjoints of the live outside inputs: the region is their only consumer. (Dyn
        // adjoints were sized and zeroed at the start of the sweep.)
        static constexpr void zero_inputs(adjoints_type& adj) {
            [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                (zero_inputs_of<z>(static_cast<D*>(nullptr), std::make_index_sequence<D::offsets.size()>{}, adj), ...);
            }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
        }
        template <std::size_t z, class Op, class V, bool RG, std::size_t... Off, std::size_t... I>
        static constexpr void zero_inputs_of(node<Op, V, RG, Off...>*, std::index_sequence<I...>,
                                             adjoints_type& adj) {
            if constexpr (in(z) && A::live[E + z]) {
                constexpr unsigned nd = nondiff_mask<Op>();
                (
                    [&] {
                        if constexpr (!A::fused[E + z + Off] && A::live[E + z + Off] && !A::r.in_grad[E + z + Off] &&
                                      !((nd >> I) & 1u)) {
                            auto& a = at<AG::group[E + z + Off]>(adj)[AG::layout.pos[E + z + Off]];
                            a = zeros<std::remove_cvref_t<decltype(a)>>();
                        }
                    }(),
                    ...);
            }
        }

        // The reduction's forward: its value from the running sum over the elements. St is the
        // strategy in effect: `recompute` unless a reverse sweep of backward() follows.
        template <region_strategy St, class Slot, class Op>
        static constexpr void reduce(Slot& out, const store_type& s, const values_type& w, Op) {
            constexpr bool keep = St == region_strategy::keep;
            constexpr bool pre = St == region_strategy::preaccumulate;
            const std::size_t cnt = count(s, w);
            if constexpr (keep) {
                // (assign, not resize: Clang with libstdc++ 12 rejects resize in constant evaluation)
                if constexpr (is_dyn_v<decltype(out.kept)>) out.kept.elems.assign(cnt, zero_of<T>());
            }
            if constexpr (pre) locals_zero<false>(out.acc);
            T acc = zero_of<T>();
            std::size_t j = 0;
            if constexpr (packs && !keep) {
                // whole packs first (not in constant evaluation, where vector registers are not
                // available), then the remaining elements one at a time
                if (!std::is_constant_evaluated()) {
                    using PT = pack<T>;
                    PT pacc = zero_of<PT>();
                    [[maybe_unused]] locals_t<true> ploc;
                    if constexpr (pre) locals_zero<true>(ploc);
                    for (; j + PT::width <= cnt; j += PT::width) {
                        rvalues_t<true> rv;
                        forward<true>(j, s, w, rv);
                        if constexpr (pre) {
                            none no_adjoints;
                            reverse<true>(j, s, w, rv, no_adjoints, ploc, one_of<PT>());
                        }
                        pacc += at<RVg<true>::group[0]>(rv)[RVg<true>::layout.pos[0]];
                    }
                    acc = pacc.sum();
                    if constexpr (pre) {
                        each_local([&](auto c) {
                            at<LA::group[c]>(out.acc)[LA::layout.pos[c]] +=
                                at<LAg<true>::group[c]>(ploc)[LAg<true>::layout.pos[c]].sum();
                        });
                    }
                }
            }
            for (; j < cnt; ++j) {
                rvalues rv;
                forward<false>(j, s, w, rv);
                const auto& y = at<RV::group[0]>(rv)[RV::layout.pos[0]];
                if constexpr (keep) out.kept.elems[j] = y;
                if constexpr (pre) {
                    // the reverse rule at seed 1: only scalar inputs' locals are written
                    none no_adjoints;
                    reverse<false>(j, s, w, rv, no_adjoints, out.acc, one_of<T>());
                }
                acc = acc + y;
            }
            out.v = Op::fused_value(acc, cnt);
        }

        // The reduction's backward: every element's sub-expression recomputed (or, keep, read
        // back) and differentiated; St as for reduce.
        template <region_strategy St, class G, class Slot, class Op>
        static constexpr void backward(const G& g, const Slot& slot, const store_type& s, const values_type& w,
                                       adjoints_type& adj, Op) {
            if constexpr (assigns) zero_inputs(adj);
            const std::size_t cnt = count(s, w);
            const G seed = Op::fused_seed(g, cnt);
            if constexpr (St == region_strategy::preaccumulate) {
                // partials summed by the forward loop of this backward(); the seed is the same
                // for every element, so scaling the sums finishes the reverse rule
                locals_finish(s, slot.acc, adj, seed);
                return;
            }
            locals loc;
            locals_zero<false>(loc);
            for (std::size_t j = 0; j < cnt; ++j) {
                rvalues rv;
                if constexpr (St == region_strategy::keep) at<RV::group[0]>(rv)[RV::layout.pos[0]] = slot.kept.elems[j];
                else forward<false>(j, s, w, rv);
                reverse<false>(j, s, w, rv, adj, loc, seed);
            }
            locals_finish(s, loc, adj);
        }
    };

    // The strategy of reduction K in context Ctx: what the analysis chose when the reverse sweep
    // of backward() follows, else recompute (nothing kept or summed for a reverse sweep).
    template <class Ctx>
    static constexpr region_strategy strategy_in(std::size_t k) {
        return std::is_same_v<Ctx, backward_context> ? A::r.strategy[k] : region_strategy::recompute;
    }

    template <std::size_t K, class D>
    static constexpr void size_adjoint(D*, const store_type& s, const values_type& w, adjoints_type& adj) {
        if constexpr (A::r.in_grad[K]) {
            // a leaf's grad is kept, and must have its value's length
            if constexpr (is_dyn_v<typename D::value_type>) {
                auto& g = adjoint_of<K>(s, adj);
                const auto& v = val<K>(s, w);
                if (g.elems.empty()) g = zeros_like(v);
                else check_length(CTGRAD_MSG_LENGTH_GRAD, size_of(g), size_of(v));
            }
        } else if constexpr (A::live[K] && !A::fused[K]) {
            at<AG::group[K]>(adj)[AG::layout.pos[K]] = zeros_like(val<K>(s, w));
        }
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, class Ctx>
    static constexpr void forward_node(node<Op, V, RG, Off...>*, const store_type& s,
                                       values_type& w, Ctx& ctx) {
        if constexpr (A::fused[K]) {
            // evaluated inside the reduction that consumes it
        } else if constexpr (A::r.slotless[K]) {
            // read where it is (see node_kind); a shared intermediate is evaluated at its first use
            if constexpr (is_shared_term_v<Op>) payload_at<SG::group[K]>(s, SG::pos[K])->ensure(ctx, A::live[K]);
        } else if constexpr (fuses_input<Op>() && sizeof...(Off) == 1 && A::fused[(K + ... + Off)]) {
            region<(K + ... + Off)>::template reduce<strategy_in<Ctx>(K)>(
                at<WG::group[K]>(w)[WG::layout.pos[K]], s, w, Op{});
        } else if constexpr (elementwise_op<Op>) {
            at<WG::group[K]>(w)[WG::layout.pos[K]].v =
                convert<V>(map(op_value<Op>{}, val<K + Off>(s, w)...));
        } else {
            auto c = context_below<A::live[K]>(ctx);
            Op::forward(payload_at<SG::group[K]>(s, SG::pos[K]), at<WG::group[K]>(w)[WG::layout.pos[K]],
                        c, val<K + Off>(s, w)...);
        }
    }

    template <std::size_t K, class Op, class V, bool RG, std::size_t... Off, std::size_t... I, class Ctx>
    static constexpr void reverse_node(node<Op, V, RG, Off...>*, std::index_sequence<I...>,
                                       store_type& s, const values_type& w, adjoints_type& adj,
                                       Ctx& ctx) {
        if constexpr (A::fused[K]) {
            // differentiated inside the reduction that consumes it
        } else if constexpr (A::r.in_grad[K]) {
            // a leaf whose grad() received the contributions directly; a shared intermediate
            // differentiates itself after its last use
            if constexpr (is_shared_term_v<Op>) payload_at<SG::group[K]>(s, SG::pos[K])->release(ctx);
        } else if constexpr (A::live[K] && fuses_input<Op>() && sizeof...(Off) == 1 &&
                             A::fused[(K + ... + Off)]) {
            region<(K + ... + Off)>::template backward<strategy_in<Ctx>(K)>(
                at<AG::group[K]>(adj)[AG::layout.pos[K]], at<WG::group[K]>(w)[WG::layout.pos[K]], s, w, adj, Op{});
        } else if constexpr (A::live[K]) {
            constexpr unsigned nd = nondiff_mask<Op>();
            if constexpr (elementwise_op<Op> && same_inputs<Off...> && nd == 0) {
                // Op(t, t) of one handle: a single contribution with the partials summed
                constexpr std::size_t c = K + std::array<std::size_t, 2>{Off...}[0];
                elementwise_backward<both_operands<Op>>(
                    at<AG::group[K]>(adj)[AG::layout.pos[K]], at<WG::group[K]>(w)[WG::layout.pos[K]].get(),
                    make_input<A::live[c], assigns && A::first(K, 0, c)>(
                        val<c>(s, w), &adjoint_of<c>(s, adj)));
            } else if constexpr (elementwise_op<Op>) {
                elementwise_backward<Op>(
                    at<AG::group[K]>(adj)[AG::layout.pos[K]], at<WG::group[K]>(w)[WG::layout.pos[K]].get(),
                    make_input<A::live[K + Off] && !((nd >> I) & 1u), assigns && A::first(K, I, K + Off)>(
                        val<K + Off>(s, w),
                        &adjoint_of<K + Off>(s, adj))...);
            } else {
                constexpr bool by_rule = assigns_first<Op>();
                [[maybe_unused]] const int seq[] = {
                    0, (prepare<!by_rule && assigns && A::live[K + Off] && !((nd >> I) & 1u) &&
                                A::first(K, I, K + Off)>(
                            at<AG::group[K + Off]>(adj)[AG::layout.pos[K + Off]]), 0)...};
                Op::backward(payload_at<SG::group[K]>(s, SG::pos[K]), at<WG::group[K]>(w)[WG::layout.pos[K]],
                             at<AG::group[K]>(adj)[AG::layout.pos[K]], ctx,
                             make_input<A::live[K + Off] && !((nd >> I) & 1u),
                                        by_rule && assigns && A::first(K, I, K + Off)>(
                                 val<K + Off>(s, w),
                                 &adjoint_of<K + Off>(s, adj))...);
            }
        }
    }
};

// Reverse rule shared by every elementwise op: adjoint of input I += g * d(op)/d(input I),
// summed over broadcast dimensions. An input receiving its first contribution is assigned when
// it has the result's shape, and zeroed first when it was broadcast.
template <class Op, class G, class Y, class... In>
constexpr void elementwise_backward(const G& g, const Y& y, const In&... in) {
    using S = shape_of<Y>;
    const auto ins = std::forward_as_tuple(in...);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                const auto& x = std::get<I>(ins);
                using X = std::remove_cvref_t<decltype(x)>;
                if constexpr (X::active) {
                    using Vx = std::remove_cvref_t<decltype(x.value)>;
                    if constexpr (S::rank == 0) {
                        if constexpr (X::first) *x.adj = g * Op::template partial<I>(y, in.value...);
                        else *x.adj += g * Op::template partial<I>(y, in.value...);
                    } else if constexpr (is_dyn_shape_v<S>) {
                        // lengths were checked by the forward sweep; adjoints are sized like
                        // their values at the start of the reverse sweep
                        const std::size_t n = size_of(y);
                        for (std::size_t j = 0; j < n; ++j)
                            elem(*x.adj, src_index<S, shape_of<Vx>>(j)) +=
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    } else if constexpr (X::first && std::is_same_v<shape_of<Vx>, S>) {
                        for (std::size_t j = 0; j < S::count; ++j)
                            elem(*x.adj, j) =
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    } else {
                        if constexpr (X::first) *x.adj = zeros<Vx>();
                        for (std::size_t j = 0; j < S::count; ++j)
                            elem(*x.adj, src_index<S, shape_of<Vx>>(j)) +=
                                elem(g, j) *
                                Op::template partial<I>(
                                    elem(y, j),
                                    elem(in.value, src_index<S, shape_of<decltype(in.value)>>(j))...);
                    }
                }
            }(),
            ...);
    }(std::index_sequence_for<In...>{});
}

template <value_kind K, class S, class W>
constexpr const auto& value_at(const S& s, const W& w, std::size_t p) {
    if constexpr (K.kind == 0) return at<K.g>(w)[p].get();
    else if constexpr (K.kind == 1) return payload_at<K.g>(s, p);
    else return term_value(payload_at<K.g>(s, p));
}
template <adjoint_kind K, class S, class Adj>
constexpr auto& adjoint_at(const S& s, Adj& adj, std::size_t p) {
    if constexpr (K.term) return term_adjoint(payload_at<K.g>(s, p));
    else return at<K.g>(adj)[p];
}

// The forward step of a node. `own` runs the program's own path (what == 4).
template <class Op, class V, step_facts F, class S, class W, class Ctx, class Own>
constexpr void forward_step(const S& s, W& w, Ctx& ctx, const step_pos& p, Own own) {
    if constexpr (F.what == 1) {
        // read where it is; a shared intermediate is evaluated at its first use
        if constexpr (F.shared) shared_ensure(payload_at<F.sg>(s, p.sp), ctx, F.live);
    } else if constexpr (F.what == 2) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            at<F.wg>(w)[p.wp].v = convert<V>(map(op_value<Op>{}, value_at<F.in_v[I]>(s, w, p.vp[I])...));
        }(std::make_index_sequence<F.nin>{});
    } else if constexpr (F.what == 3) {
        auto c = context_below<F.live>(ctx);
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            Op::forward(payload_at<F.sg>(s, p.sp), at<F.wg>(w)[p.wp], c, value_at<F.in_v[I]>(s, w, p.vp[I])...);
        }(std::make_index_sequence<F.nin>{});
    } else if constexpr (F.what == 4) {
        own.forward(s, w, ctx);
    }
}

// The reverse step of a node.
template <class Op, class V, step_facts F, class S, class W, class Adj, class Ctx, class Own>
constexpr void reverse_step(S& s, const W& w, Adj& adj, Ctx& ctx, const step_pos& p, Own own) {
    if constexpr (F.what == 0) {
        // differentiated inside the reduction that consumes it
    } else if constexpr (F.in_grad) {
        // a leaf whose grad() received the contributions directly; a shared intermediate
        // differentiates itself after its last use
        if constexpr (F.shared) shared_release(payload_at<F.sg>(s, p.sp), ctx);
    } else if constexpr (F.what == 4) {
        own.reverse(s, w, adj, ctx);
    } else if constexpr (F.live && F.what == 2 && F.twice) {
        // Op(t, t) of one handle: a single contribution with the partials summed
        elementwise_backward<both_operands<Op>>(
            at<F.ag>(adj)[p.ap], at<F.wg>(w)[p.wp].get(),
            make_input<F.in_active[0], F.in_first[0]>(value_at<F.in_v[0]>(s, w, p.vp[0]),
                                                        &adjoint_at<F.in_a[0]>(s, adj, p.apos[0])));
    } else if constexpr (F.live && F.what == 2) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            elementwise_backward<Op>(
                at<F.ag>(adj)[p.ap], at<F.wg>(w)[p.wp].get(),
                make_input<F.in_active[I], F.in_first[I]>(value_at<F.in_v[I]>(s, w, p.vp[I]),
                                                            &adjoint_at<F.in_a[I]>(s, adj, p.apos[I]))...);
        }(std::make_index_sequence<F.nin>{});
    } else if constexpr (F.live && (F.what == 3 || F.what == 1)) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            [[maybe_unused]] const int seq[] = {
                0, (prepare<F.in_prepare[I]>(adjoint_at<F.in_a[I]>(s, adj, p.apos[I])), 0)...};
            Op::backward(payload_at<F.sg>(s, p.sp), at<F.wg>(w)[p.wp], at<F.ag>(adj)[p.ap], ctx,
                         make_input<F.in_active[I], F.in_first[I]>(
                             value_at<F.in_v[I]>(s, w, p.vp[I]), &adjoint_at<F.in_a[I]>(s, adj, p.apos[I]))...);
        }(std::make_index_sequence<F.nin>{});
    }
}

}  // namespace ctgrad::detail
