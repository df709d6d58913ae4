#pragma once
/// @file
/// Running an expression: its flat program (derived once per tree type) over its payload store,
/// the forward and reverse sweeps, and the evaluation (session) they belong to.
#include <type_traits>

#include "../analysis/flatten.hpp"
#include "program.hpp"
#include "session.hpp"

namespace ctgrad::detail {

/// The program of tree type N with payload store type S.
template <class N, class S>
struct evaluation {
    using L = typename flat<N>::nodes;
    using prog = program<L, S>;
    using value_type = typename N::desc::value_type;
    using values_type = typename prog::values_type;

    /// The value with the leaves' current values.
    CTGRAD_SWEEP_INLINE static constexpr value_type value(const S& s) {
        session ses{false};
        top_context c{&ses};
        values_type w;
        prog::forward(s, w, c);
        return prog::result(w);
    }
    /// Forward and reverse sweeps seeded with `seed`; returns the value.
    template <class Seed>
    CTGRAD_SWEEP_INLINE static constexpr value_type backward(S& s, const Seed& seed) {
        session ses{true};
        backward_context c{&ses};
        values_type w;
        prog::forward(s, w, c);
        if constexpr (is_dyn_v<value_type>)
            check_length(CTGRAD_MSG_LENGTH_SEED, size_of(seed), size_of(prog::result(w)));
        prog::reverse(s, w, convert<value_type>(seed), c);
        ses.reverse_shared();  // the shared intermediates reached, users first
        return prog::result(w);
    }
};

}  // namespace ctgrad::detail
