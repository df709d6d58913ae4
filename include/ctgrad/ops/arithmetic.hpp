#pragma once
/// @file
/// + - * / and unary minus: value rule and local derivative of each, and the operators that
/// build their nodes.
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"

namespace ctgrad {
namespace detail {

struct add_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = "+", .infix = true, .elementwise = true, .lanes = true};
    template <class A, class B>
    static constexpr auto value(const A& a, const B& b) { return a + b; }
    template <std::size_t I, class Y, class A, class B>
    static constexpr Y partial(const Y&, const A&, const B&) { return one_of<Y>(); }
};

struct sub_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = "-", .infix = true, .elementwise = true, .lanes = true};
    template <class A, class B>
    static constexpr auto value(const A& a, const B& b) { return a - b; }
    template <std::size_t I, class Y, class A, class B>
    static constexpr Y partial(const Y&, const A&, const B&) {
        if constexpr (I == 0) return one_of<Y>();
        else return -one_of<Y>();
    }
};

struct mul_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = "*", .infix = true, .elementwise = true, .lanes = true};
    template <class A, class B>
    static constexpr auto value(const A& a, const B& b) { return a * b; }
    template <std::size_t I, class Y, class A, class B>
    static constexpr Y partial(const Y&, const A& a, const B& b) {
        if constexpr (I == 0) return b;
        else return a;
    }
};

struct div_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = "/", .infix = true, .elementwise = true, .lanes = true};
    template <class A, class B>
    static constexpr auto value(const A& a, const B& b) { return a / b; }
    // d(a/b)/da = 1/b, d(a/b)/db = -(a/b)/b, written -(a/b) * (1/b): the two partials share one
    // division, which the compiler hoists out of a loop when b does not change (a fused region
    // dividing by a scalar parameter pays one division per element instead of two).
    template <std::size_t I, class Y, class A, class B>
    static constexpr Y partial(const Y& y, const A&, const B& b) {
        if constexpr (I == 0) return one_of<Y>() / b;
        else return -y * (one_of<Y>() / b);
    }
};

struct neg_op {
    // lanes: rules use + - * / only, they run on packs
    static constexpr op_info info{.label = "-", .elementwise = true, .lanes = true};
    template <class A>
    static constexpr auto value(const A& a) { return -a; }
    template <std::size_t, class Y, class A>
    static constexpr Y partial(const Y&, const A&) { return -one_of<Y>(); }
};

template <class A, class B>
concept binary_operands = (expression<A> || expression<B>) && operand<A> && operand<B>;

}  // namespace detail

// Overload sets (graph/overloads.hpp): Clang learns which operands the result refers to.
/// @fn ctgrad::operator+(A&& a, B&& b)
/// Elementwise sum (broadcasting); builds a lazy node. Example: `auto y = x + 2.0;`
CTGRAD_DETAIL_BINARY(operator+, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::add_op))
/// @fn ctgrad::operator-(A&& a, B&& b)
/// Elementwise difference (broadcasting). Example: `auto y = 1 - x;`
CTGRAD_DETAIL_BINARY(operator-, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::sub_op))
/// @fn ctgrad::operator*(A&& a, B&& b)
/// Elementwise product (broadcasting). Example: `auto y = 2 * x * x;`
CTGRAD_DETAIL_BINARY(operator*, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::mul_op))
/// @fn ctgrad::operator/(A&& a, B&& b)
/// Elementwise quotient (broadcasting). Example: `auto y = 1 / x;`
CTGRAD_DETAIL_BINARY(operator/, detail::binary_operands, CTGRAD_DETAIL_NODE2(detail::div_op))
/// @fn ctgrad::operator-(E&& e)
/// Elementwise negation. Example: `auto y = -x;`
CTGRAD_DETAIL_UNARY((), operator-, expression, CTGRAD_DETAIL_NODE1(detail::neg_op))

}  // namespace ctgrad
