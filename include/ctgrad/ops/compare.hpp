#pragma once
/// @file
/// Comparisons (non-differentiable boolean expressions) and where(cond, a, b), whose gradient
/// flows only into the side it selects.
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"
#include "arithmetic.hpp"

namespace ctgrad {
namespace detail {

#define CTGRAD_COMPARE_OP(name, op)                                              \
    struct name##_op {                                                          \
        static constexpr op_info info{                                          \
            .label = #op, .infix = true, .elementwise = true, .nondiff = 3u};   \
        template <class A, class B>                                             \
        static constexpr bool value(const A& a, const B& b) { return a op b; }  \
    };
CTGRAD_COMPARE_OP(less, <)
CTGRAD_COMPARE_OP(less_equal, <=)
CTGRAD_COMPARE_OP(greater, >)
CTGRAD_COMPARE_OP(greater_equal, >=)
#undef CTGRAD_COMPARE_OP

struct where_op {
    // the condition
    static constexpr op_info info{.label = "where", .elementwise = true, .nondiff = 1u};
    template <class C, class A, class B>
    static constexpr auto value(const C& c, const A& a, const B& b) {
        return c ? a : b;
    }
    template <std::size_t I, class Y, class C, class A, class B>
    static constexpr Y partial(const Y&, const C& c, const A&, const B&) {
        if constexpr (I == 1) return c ? one_of<Y>() : zero_of<Y>();
        else return c ? zero_of<Y>() : one_of<Y>();
    }
};

}  // namespace detail

/// Elementwise comparisons; the result is a boolean expression through which no gradient flows.
/// Example: `auto positive = x > 0;`
CTGRAD_DETAIL_BINARY(operator<, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::less_op))
/// Elementwise `<=`; a boolean expression. Example: `auto inside = x <= 1.0;`
CTGRAD_DETAIL_BINARY(operator<=, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::less_equal_op))
/// Elementwise `>`; a boolean expression. Example: `auto positive = x > 0;`
CTGRAD_DETAIL_BINARY(operator>, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::greater_op))
/// Elementwise `>=`; a boolean expression. Example: `auto nonnegative = x >= 0;`
CTGRAD_DETAIL_BINARY(operator>=, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::greater_equal_op))

/// Elementwise selection: `cond ? a : b` per element (broadcasting); the gradient flows only into
/// the selected side. Example: `auto y = ctgrad::where(x > 0, x, 0.1 * x);  // leaky relu`
template <class C, class A, class B>
    requires((expression<C> || expression<A> || expression<B>) && detail::operand<C> &&
             detail::operand<A> && detail::operand<B>)
constexpr auto where(C&& c, A&& a, B&& b) {
    return detail::make_node<detail::where_op>(detail::none{}, static_cast<C&&>(c), static_cast<A&&>(a),
                                               static_cast<B&&>(b));
}

}  // namespace ctgrad
