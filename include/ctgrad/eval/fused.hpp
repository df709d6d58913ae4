#pragma once
/// @file
/// Fused reductions: the elementwise region under a `sum` or `mean` evaluated and differentiated
/// one element (or one SIMD pack of elements) at a time, steered by the `region_strategy` the
/// analysis chose: recompute, keep the values of a one-node region, or pre-accumulate the partials
/// of scalar inputs.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../config.hpp"
#include "../diagnostics.hpp"
#include "../values/pack.hpp"
#include "elementwise.hpp"
#include "layout.hpp"

namespace ctgrad::detail {

// A fused region of program Prog: the elementwise nodes under a reduction, rooted at node E,
// evaluated for one element j at a time with scalar values; no tensor per node. Inputs from
// outside the region (leaves, data, materialised values) are read at element j, broadcasting as
// the ops would.
template <class Prog, std::size_t E>
struct fused_region {
    using A = typename Prog::A;
    using L = typename Prog::node_list;
    using store_type = typename Prog::store_type;
    using values_type = typename Prog::values_type;
    using adjoints_type = typename Prog::adjoints_type;
    using AG = typename Prog::AG;
    static constexpr bool assigns = Prog::assigns;
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
            if constexpr (std::is_same_v<Scale, none>) Prog::template adjoint_of<E + c>(s, adj) += l;
            else Prog::template adjoint_of<E + c>(s, adj) += scale * l;
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
            const auto& v = Prog::template val<E + c>(s, w);
            using X = std::remove_cvref_t<decltype(v)>;
            if constexpr (!P) {
                return (elem(v, src_index_of<SE>(j, v)));
            } else if constexpr (shape_of<X>::rank == 0) {
                return pack<T>(elem(v, 0));
            } else {
                return pack<T>::load(&elem(v, j));
            }
        }
    }

    // The number of elements; operands of run-time rows must agree (see common_rows).
    static constexpr std::size_t count(const store_type& s, const values_type& w) {
        bool broadcast = false;
        return count(s, w, broadcast);
    }
    // `broadcast`: some dyn input has one row at run time and is repeated over more rows (its
    // elements are then not contiguous: no packs).
    static constexpr std::size_t count(const store_type& s, const values_type& w, bool& broadcast) {
        if constexpr (!is_dyn_shape_v<SE>) {
            return SE::count;
        } else {
            std::size_t rows = 1;
            bool found = false, one = false;
            [&]<class... D, std::size_t... z>(mp::mp_list<D...>*, std::index_sequence<z...>) {
                (rows_of_inputs<z>(static_cast<D*>(nullptr), s, w, rows, found, one), ...);
            }(static_cast<sub*>(nullptr), std::make_index_sequence<Z>{});
            broadcast = one && rows != 1;
            return rows * tail_t<SE>::count;
        }
    }
    template <std::size_t z, class Op, class V, bool RG, std::size_t... Off>
    static constexpr void rows_of_inputs(node<Op, V, RG, Off...>*, const store_type& s, const values_type& w,
                                         std::size_t& rows, bool& found, bool& one) {
        if constexpr (in(z))
            (rows_of<z + Off>(s, w, rows, found, one), ...);
    }
    template <std::size_t c>
    static constexpr void rows_of(const store_type& s, const values_type& w, std::size_t& rows, bool& found,
                                  bool& one) {
        if constexpr (!A::fused[E + c]) {
            const auto& v = Prog::template val<E + c>(s, w);
            const std::size_t m = rows_for<SE>(v);
            if (m == 1) {
                one = one || is_dyn_v<std::remove_cvref_t<decltype(v)>>;
            } else if (!found) {
                rows = m, found = true;
            } else {
                check_length(CTGRAD_MSG_LENGTH_ELEMENTWISE, rows, m);
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
                        } else if constexpr (P) {
                            // (packs read only scalars and values of the region's shape)
                            auto& a = Prog::template adjoint_of<E + c>(s, adj);
                            T* const pa = &elem(a, j);
                            (pack<T>::load(pa) + d).store(pa);
                        } else {
                            auto& a = Prog::template adjoint_of<E + c>(s, adj);
                            elem(a, src_index_of<SE>(j, a)) += d;
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
        bool broadcast = false;
        const std::size_t cnt = count(s, w, broadcast);
        if constexpr (keep) {
            // (assign, not resize: Clang with libstdc++ 12 rejects resize in constant evaluation;
            // kept values of the previous call are all overwritten: no pass when the length holds)
            if constexpr (is_dyn_v<decltype(out.kept)>)
                if (out.kept.elems.size() != cnt) out.kept.elems.assign(cnt, zero_of<T>());
        }
        if constexpr (pre) locals_zero<false>(out.acc);
        T acc = zero_of<T>();
        std::size_t j = 0;
        if constexpr (packs) {
            // whole packs first (not in constant evaluation, where vector registers are not
            // available), then the remaining elements one at a time
            if (!std::is_constant_evaluated() && !broadcast) {
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
                    const auto& y = at<RVg<true>::group[0]>(rv)[RVg<true>::layout.pos[0]];
                    if constexpr (keep) y.store(&out.kept.elems[j]);
                    pacc += y;
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
        bool broadcast = false;  // a dyn input of one run-time row: not contiguous, no packs
        const std::size_t cnt = count(s, w, broadcast);
        const G seed = Op::fused_seed(g, cnt);
        if constexpr (St == region_strategy::preaccumulate) {
            // partials summed by the forward loop of this backward(); the seed is the same
            // for every element, so scaling the sums finishes the reverse rule
            locals_finish(s, slot.acc, adj, seed);
            return;
        }
        locals loc;
        locals_zero<false>(loc);
        std::size_t j = 0;
        if constexpr (packs)
            if (!std::is_constant_evaluated() && !broadcast) j = backward_packs<St>(seed, slot, s, w, adj, loc, cnt);
        for (; j < cnt; ++j) {
            rvalues rv;
            if constexpr (St == region_strategy::keep) at<RV::group[0]>(rv)[RV::layout.pos[0]] = slot.kept.elems[j];
            else forward<false>(j, s, w, rv);
            reverse<false>(j, s, w, rv, adj, loc, seed);
        }
        locals_finish(s, loc, adj);
    }

    // The whole packs of backward() (run time only); returns the first element left.
    template <region_strategy St, class G, class Slot>
    static std::size_t backward_packs(const G& seed, const Slot& slot, const store_type& s, const values_type& w,
                                      adjoints_type& adj, locals& loc, std::size_t cnt) {
        using PT = pack<T>;
        locals_t<true> ploc;
        locals_zero<true>(ploc);
        const PT pseed(seed);
        std::size_t j = 0;
        for (; j + PT::width <= cnt; j += PT::width) {
            rvalues_t<true> rv;
            if constexpr (St == region_strategy::keep)
                at<RVg<true>::group[0]>(rv)[RVg<true>::layout.pos[0]] = PT::load(&slot.kept.elems[j]);
            else forward<true>(j, s, w, rv);
            reverse<true>(j, s, w, rv, adj, ploc, pseed);
        }
        each_local([&](auto c) {
            at<LA::group[c]>(loc)[LA::layout.pos[c]] += at<LAg<true>::group[c]>(ploc)[LAg<true>::layout.pos[c]].sum();
        });
        return j;
    }
};

}  // namespace ctgrad::detail
