#pragma once
/// @file
/// Parallel fused reductions (`ctgrad::sum(ctgrad::par, e)`, `ctgrad::mean(ctgrad::par, e)`): the
/// elementwise region under the reduction is cut into chunks of `par_chunk` elements, fixed by
/// the element count alone, and each chunk is evaluated by the serial region evaluator
/// (fused_region's forward and reverse rules, eval/fused.hpp). The chunks' partial sums are added
/// in chunk order, so value and gradient do not depend on how many threads ran the chunks.
///
/// Threads are started by the call and joined before it returns (std::thread, one per core from
/// std::thread::hardware_concurrency(), the calling thread being one of them): no pool, no
/// global state. In constant evaluation the same chunks run one after another.
#include <cstddef>
#include <exception>
#include <type_traits>
#include <vector>
// std::thread alone: libstdc++'s <thread> also brings std::jthread and <stop_token>, which cost
// every user of ctgrad.hpp about 0.1 s of compile time (docs/design.md)
#if defined(__GLIBCXX__) && __has_include(<bits/std_thread.h>)
#include <bits/std_thread.h>
#else
#include <thread>
#endif

#include "../config.hpp"
#include "../values/pack.hpp"
#include "fused.hpp"

namespace ctgrad::detail {

/// Elements per chunk: a multiple of every pack width, large enough that a chunk's work dwarfs
/// starting a thread, small enough to balance two to a few dozen cores at 10^6 elements.
inline constexpr std::size_t par_chunk = std::size_t{1} << 14;

/// The payload of a parallel reduction node: the number of threads (0: one per core).
struct par_threads {
    unsigned n = 0;
};

/// Runs job(c) for every chunk c < chunks on up to `threads` threads (0: one per core); chunk
/// c always does the same work whatever the thread count. Exceptions are rethrown on the caller.
template <class Job>
void run_par_chunks(std::size_t chunks, unsigned threads, const Job& job) {
    std::size_t t = threads != 0 ? threads : std::thread::hardware_concurrency();
    if (t == 0) t = 1;
    if (t > chunks) t = chunks;
    if (t <= 1) {
        for (std::size_t c = 0; c < chunks; ++c) job(c);
        return;
    }
    // thread i runs the contiguous block of chunks [i * chunks / t, (i + 1) * chunks / t)
    std::vector<std::exception_ptr> errors(t);
    auto block = [&](std::size_t i) {
        try {
            for (std::size_t c = i * chunks / t; c < (i + 1) * chunks / t; ++c) job(c);
        } catch (...) {
            errors[i] = std::current_exception();
        }
    };
    std::vector<std::thread> workers;
    workers.reserve(t - 1);
    for (std::size_t i = 1; i < t; ++i) {
        try {
            workers.emplace_back(block, i);
        } catch (...) {
            block(i);  // no thread to be had: this one runs the block
        }
    }
    block(0);
    for (std::thread& w : workers) w.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

/// The parallel counterpart of fused_region<Prog, E>: the same reduce and backward, chunk by
/// chunk. Where the reverse loop writes per-element adjoints (strategies recompute and keep), it
/// runs in parallel only when no two elements write the same adjoint (every such outside input
/// has one element per element of the region); otherwise its chunks run one after another, in
/// order, on the calling thread.
template <class Prog, std::size_t E>
struct parallel_region : fused_region<Prog, E> {
    using R = fused_region<Prog, E>;
    using T = typename R::T;
    using store_type = typename R::store_type;
    using values_type = typename R::values_type;
    using adjoints_type = typename R::adjoints_type;
    using locals = typename R::locals;
    using rvalues = typename R::rvalues;
    using RV = typename R::RV;

    struct partial {
        T acc;
        locals loc;
    };

    static constexpr std::size_t chunks_of(std::size_t cnt) { return (cnt + par_chunk - 1) / par_chunk; }

    template <class Job>
    static constexpr void each_chunk(std::size_t chunks, unsigned threads, const Job& job) {
        if (std::is_constant_evaluated()) {
            for (std::size_t c = 0; c < chunks; ++c) job(c);
        } else {
            run_par_chunks(chunks, threads, job);
        }
    }

    // The sum of the region's values over elements [j0, j1) (the loop of fused_region::reduce
    // over one chunk): whole packs first where the region runs on packs, then one at a time.
    // `pre`: the partials of scalar inputs are summed into loc; `keep`: values kept in `kept`.
    // `broadcast`: a dyn input of one run-time row repeats over the rows (not contiguous: no packs).
    template <region_strategy St, class Kept>
    static constexpr T sum_chunk(std::size_t j0, std::size_t j1, const store_type& s, const values_type& w,
                                 locals& loc, Kept* kept, bool broadcast) {
        constexpr bool keep = St == region_strategy::keep;
        constexpr bool pre = St == region_strategy::preaccumulate;
        T acc = zero_of<T>();
        std::size_t j = j0;
        if constexpr (R::packs && !keep) {
            if (!std::is_constant_evaluated() && !broadcast) {
                using PT = pack<T>;
                PT pacc = zero_of<PT>();
                [[maybe_unused]] typename R::template locals_t<true> ploc;
                if constexpr (pre) R::template locals_zero<true>(ploc);
                for (; j + PT::width <= j1; j += PT::width) {
                    typename R::template rvalues_t<true> rv;
                    R::template forward<true>(j, s, w, rv);
                    if constexpr (pre) {
                        none no_adjoints;
                        R::template reverse<true>(j, s, w, rv, no_adjoints, ploc, one_of<PT>());
                    }
                    pacc += at<R::template RVg<true>::group[0]>(rv)[R::template RVg<true>::layout.pos[0]];
                }
                acc = pacc.sum();
                if constexpr (pre) {
                    R::each_local([&](auto c) {
                        at<R::LA::group[c]>(loc)[R::LA::layout.pos[c]] +=
                            at<R::template LAg<true>::group[c]>(ploc)[R::template LAg<true>::layout.pos[c]].sum();
                    });
                }
            }
        }
        for (; j < j1; ++j) {
            rvalues rv;
            R::template forward<false>(j, s, w, rv);
            const auto& y = at<RV::group[0]>(rv)[RV::layout.pos[0]];
            if constexpr (keep) kept->elems[j] = y;
            if constexpr (pre) {
                none no_adjoints;
                R::template reverse<false>(j, s, w, rv, no_adjoints, loc, one_of<T>());
            }
            acc = acc + y;
        }
        return acc;
    }

    // loc += from, for every scalar outside input
    static constexpr void add_locals(locals& loc, const locals& from) {
        R::each_local([&](auto c) {
            at<R::LA::group[c]>(loc)[R::LA::layout.pos[c]] += at<R::LA::group[c]>(from)[R::LA::layout.pos[c]];
        });
    }

    template <region_strategy St, class Slot, class Op>
    static constexpr void reduce(Slot& out, const store_type& s, const values_type& w, Op,
                                 const par_threads& threads) {
        constexpr bool keep = St == region_strategy::keep;
        constexpr bool pre = St == region_strategy::preaccumulate;
        bool broadcast = false;
        const std::size_t cnt = R::count(s, w, broadcast);
        if constexpr (keep) {
            if constexpr (is_dyn_v<decltype(out.kept)>) out.kept.elems.assign(cnt, zero_of<T>());
        }
        const std::size_t chunks = chunks_of(cnt);
        partial zero{zero_of<T>(), {}};
        R::template locals_zero<false>(zero.loc);
        std::vector<partial> parts(chunks, zero);
        each_chunk(chunks, threads.n, [&](std::size_t c) {
            const std::size_t j0 = c * par_chunk, j1 = j0 + par_chunk < cnt ? j0 + par_chunk : cnt;
            if constexpr (keep) parts[c].acc = sum_chunk<St>(j0, j1, s, w, parts[c].loc, &out.kept, broadcast);
            else parts[c].acc = sum_chunk<St, none>(j0, j1, s, w, parts[c].loc, nullptr, broadcast);
        });
        // combined in chunk order: the result does not depend on the threads
        T acc = zero_of<T>();
        if constexpr (pre) R::template locals_zero<false>(out.acc);
        for (const partial& p : parts) {
            acc = acc + p.acc;
            if constexpr (pre) add_locals(out.acc, p.loc);
        }
        out.v = Op::fused_value(acc, cnt);
    }

    // Whether the reverse loop may run chunks at once: every live outside input that is not a
    // scalar has one element per element of the region, so no two elements add to the same
    // adjoint element.
    static constexpr bool disjoint_adjoints(const store_type& s, const values_type& w, std::size_t cnt) {
        bool ok = true;
        [&]<std::size_t... c>(std::index_sequence<c...>) {
            (
                [&] {
                    if constexpr (!R::A::fused[E + c] && R::A::live[E + c] && !R::scalar_input[c]) {
                        const auto& v = Prog::template val<E + c>(s, w);
                        if (size_of(v) != cnt) ok = false;
                    }
                }(),
                ...);
        }(std::make_index_sequence<R::Z>{});
        return ok;
    }

    template <region_strategy St, class G, class Slot, class Op>
    static constexpr void backward(const G& g, const Slot& slot, const store_type& s, const values_type& w,
                                   adjoints_type& adj, Op op, const par_threads& threads) {
        if constexpr (St == region_strategy::preaccumulate) {
            // the partials were summed, chunk by chunk, by reduce()
            R::template backward<St>(g, slot, s, w, adj, op);
        } else {
            if constexpr (R::assigns) R::zero_inputs(adj);
            const std::size_t cnt = R::count(s, w);
            const G seed = Op::fused_seed(g, cnt);
            const std::size_t chunks = chunks_of(cnt);
            locals zero;
            R::template locals_zero<false>(zero);
            std::vector<locals> locs(chunks, zero);  // (not vector(n): Clang rejects it in constant evaluation)
            auto job = [&](std::size_t c) {
                const std::size_t j0 = c * par_chunk, j1 = j0 + par_chunk < cnt ? j0 + par_chunk : cnt;
                for (std::size_t j = j0; j < j1; ++j) {
                    rvalues rv;
                    if constexpr (St == region_strategy::keep) at<RV::group[0]>(rv)[RV::layout.pos[0]] = slot.kept.elems[j];
                    else R::template forward<false>(j, s, w, rv);
                    R::template reverse<false>(j, s, w, rv, adj, locs[c], seed);
                }
            };
            if (disjoint_adjoints(s, w, cnt)) {
                each_chunk(chunks, threads.n, job);
            } else {
                for (std::size_t c = 0; c < chunks; ++c) job(c);
            }
            locals loc;
            R::template locals_zero<false>(loc);
            for (const locals& l : locs) add_locals(loc, l);
            R::locals_finish(s, loc, adj);
        }
    }
};

}  // namespace ctgrad::detail
