#pragma once
/// @file
/// Running an expression tree: its flat program (derived once per tree type), the payload table
/// filled from the tree object, and the forward and reverse sweeps.
#include <type_traits>

#include "../analysis/flatten.hpp"
#include "program.hpp"
#include "session.hpp"

namespace ctgrad::detail {

/// The program of tree type N and how to run it on a tree object.
template <class N>
struct evaluation {
    using F = flat<N>;
    using L = typename F::nodes;
    using prog = program<L>;
    using value_type = typename N::desc::value_type;
    using values_type = typename prog::values_type;
    using store_type = typename prog::store_type;

    static constexpr void payloads(store_type& s, const N& n) {
        fill_payloads<L, typename F::items>(s, n);
    }

    /// The forward sweep into workspace w, in context c.
    template <class Ctx>
    CTGRAD_SWEEP_INLINE static constexpr void forward(const N& n, values_type& w, Ctx& c) {
        store_type s;
        payloads(s, n);
        prog::forward(s, w, c);
    }
    /// The reverse sweep from w (a forward sweep's workspace), seeded with g.
    template <class Ctx>
    CTGRAD_SWEEP_INLINE static constexpr void reverse(const N& n, const values_type& w,
                                                      const value_type& g, Ctx& c) {
        store_type s;
        payloads(s, n);
        prog::reverse(s, w, g, c);
    }

    /// The value of tree n with the leaves' current values.
    CTGRAD_SWEEP_INLINE static constexpr value_type value(const N& n) {
        session ses{false};
        top_context c{&ses};
        store_type s;
        payloads(s, n);
        values_type w;
        prog::forward(s, w, c);
        return prog::result(w);
    }
    /// Forward and reverse sweeps seeded with `seed`; returns the value.
    template <class Seed>
    CTGRAD_SWEEP_INLINE static constexpr value_type backward(const N& n, const Seed& seed) {
        session ses{true};
        backward_context c{&ses};
        store_type s;
        payloads(s, n);
        values_type w;
        prog::forward(s, w, c);
        if constexpr (is_dyn_v<value_type>)
            check_length("backward(seed): seed and value", size_of(seed), size_of(prog::result(w)));
        prog::reverse(s, w, convert<value_type>(seed), c);
        return prog::result(w);
    }
};

}  // namespace ctgrad::detail
