#pragma once
/// @file
/// The forward and reverse sweeps generated from a node list.
///
/// The forward sweep visits nodes in topological order (the node list is root first, so that is
/// the list reversed) and stores each node's value in a flat, statically laid-out workspace. The
/// reverse sweep visits them root first and applies each live node's local derivative once. Both
/// sweeps are flat pack expansions, so neither template nor constexpr depth grows with the
/// expression's depth.
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>
#include <utility>

#include "../analysis/flatten.hpp"
#include "../analysis/liveness.hpp"
#include "../config.hpp"
#include "../diagnostics.hpp"
#include "../graph/node.hpp"
#include "../graph/store.hpp"
#include "elementwise.hpp"
#include "fused.hpp"
#include "parallel.hpp"
#include "layout.hpp"
#include "session.hpp"

namespace ctgrad::detail {

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
    using node_list = L;
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
    // A fused region (eval/fused.hpp) reads the program's layout and values.
    template <std::size_t E>
    using region = fused_region<program, E>;
    template <class, std::size_t>
    friend struct fused_region;
    template <class, std::size_t>
    friend struct parallel_region;

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
        } else if constexpr (fuses_input<Op>() && sizeof...(Off) == 1 && A::fused[(K + ... + Off)] &&
                             op_traits<Op>::info.parallel) {
            parallel_region<program, (K + ... + Off)>::template reduce<strategy_in<Ctx>(K)>(
                at<WG::group[K]>(w)[WG::layout.pos[K]], s, w, Op{}, payload_at<SG::group[K]>(s, SG::pos[K]));
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
            // a leaf or shared intermediate whose adjoint received the contributions directly
            // (shared intermediates are differentiated by the session, after the root's sweep)
        } else if constexpr (A::live[K] && fuses_input<Op>() && sizeof...(Off) == 1 &&
                             A::fused[(K + ... + Off)] && op_traits<Op>::info.parallel) {
            parallel_region<program, (K + ... + Off)>::template backward<strategy_in<Ctx>(K)>(
                at<AG::group[K]>(adj)[AG::layout.pos[K]], at<WG::group[K]>(w)[WG::layout.pos[K]], s, w, adj, Op{},
                payload_at<SG::group[K]>(s, SG::pos[K]));
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
        // a leaf or shared intermediate whose adjoint received the contributions directly
        // (shared intermediates are differentiated by the session, after the root's sweep)
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
