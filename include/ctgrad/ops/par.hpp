#pragma once
/// @file
/// `ctgrad::sum(ctgrad::par, e)` and `ctgrad::mean(ctgrad::par, e)`: the reductions of
/// ops/reduce.hpp with their loops over a fused elementwise operand split over the machine's
/// cores in fixed chunks (eval/parallel.hpp), so value and gradient do not depend on the number
/// of threads.
#include <cstddef>

#include "../eval/parallel.hpp"
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"
#include "reduce.hpp"

namespace ctgrad {

namespace detail {
struct par_access;
}

/// The type of ctgrad::par. Its default constructor is explicit, so `{}` never selects it.
struct par_t {
    explicit constexpr par_t() = default;

private:
    friend struct detail::par_access;
    unsigned threads_ = 0;  // 0: one thread per core
};

/// Execution policy tag of the parallel reductions: `ctgrad::sum(ctgrad::par, e)`.
inline constexpr par_t par{};

namespace detail {

// The thread count a par_t carries: 0 (one per core) for ctgrad::par; tests pick others.
struct par_access {
    static constexpr par_t with_threads(unsigned n) {
        par_t p;
        p.threads_ = n;
        return p;
    }
    static constexpr par_threads threads(const par_t& p) { return par_threads{p.threads_}; }
};

// sum_op and mean_op evaluated chunk by chunk on several threads. Without a fused operand (a
// leaf, a materialised value) the op sums serially, as sum_op does.
template <class Base>
struct par_reduce_op {
    using payload = par_threads;
    static constexpr op_info info{.label = Base::info.label, .fuses_input = true, .assigns_first = true,
                                  .parallel = true};
    template <class T>
    static constexpr T fused_value(const T& acc, std::size_t n) { return Base::fused_value(acc, n); }
    template <class G>
    static constexpr G fused_seed(const G& g, std::size_t n) { return Base::fused_seed(g, n); }
    template <class V>
    using result = typename Base::template result<V>;
    template <class S, class Ctx, class A>
    static constexpr void forward(const par_threads&, S& s, Ctx& c, const A& a) { Base::forward(none{}, s, c, a); }
    template <class S, class G, class Ctx, class In>
    static constexpr void backward(const par_threads&, const S& s, const G& g, Ctx& c, const In& in) {
        Base::backward(none{}, s, g, c, in);
    }
};

}  // namespace detail

/// @fn ctgrad::sum(par_t p, E&& e)
/// Sum of all elements, as `sum(e)`, with the loops over an elementwise operand of run-time length
/// split over the machine's cores: fixed chunks of elements, partial sums added in chunk order,
/// so the value and the gradient do not depend on the number of threads (they may differ from
/// `sum(e)` in the last bits). For large `dyn` operands; in constant evaluation the chunks run one
/// after another. Example: `auto lp = ctgrad::sum(ctgrad::par, -0.5 * ctgrad::pow<2>((y - mu) / sigma));`
CTGRAD_DETAIL_UNARY_AFTER((par_t p,), (), sum, expression,
    return detail::make_node<detail::par_reduce_op<detail::sum_op>>(detail::par_access::threads(p),
                                                                    static_cast<e_type&&>(e));)

/// @fn ctgrad::mean(par_t p, E&& e)
/// Mean of all elements, as `mean(e)`, computed as `sum(par, e)` (see there).
/// Example: `auto loss = ctgrad::mean(ctgrad::par, ctgrad::pow<2>(z - y));`
CTGRAD_DETAIL_UNARY_AFTER((par_t p,), (), mean, expression,
    return detail::make_node<detail::par_reduce_op<detail::mean_op>>(detail::par_access::threads(p),
                                                                     static_cast<e_type&&>(e));)

}  // namespace ctgrad
