#pragma once
/// @file
/// How ctgrad's functions take their operands: overload sets whose parameters carry
/// CTGRAD_LIFETIMEBOUND exactly where the result refers to the argument, so that Clang warns when
/// a function returns an expression built on one of its own local leaves (docs/tutorial.md,
/// "Lifetimes").
///
/// The attribute cannot depend on a template argument, so where it exists (Clang) each operand is
/// taken in one of three ways, and a function has one overload per combination:
///
///   REF  `T& t [[clang::lifetimebound]]`  an lvalue leaf or shared intermediate: the result
///        points to it.
///   VAL  `T t [[clang::lifetimebound]]`   anything else, by value. The result copies it; the
///        attribute lets Clang look into a temporary operand's own annotated arguments, so that
///        `return x * x + 1.0;` warns about `x`. (A by-value parameter of a prvalue is the
///        prvalue itself: no extra copy; an lvalue expression or tensor is copied into the
///        parameter and moved on.) Clang does not follow a named local: `auto y = x * x;
///        return y;` does not warn.
///   TMP  `T&& t`                          a temporary leaf or shared intermediate, not annotated
///        (a reference to a temporary would warn at every `x * detach(z)`); the capture rules
///        reject the ones whose gradient would be lost.
///
/// Elsewhere (GCC) a function is the one overload taking forwarding references (FWD). The body
/// sees `<name>_type`, the operand's type as a forwarding reference would have deduced it, and
/// forwards with `static_cast<a_type&&>(a)`.
#include <type_traits>

#include "../config.hpp"
#include "fwd.hpp"

#define CTGRAD_DETAIL_UNPAREN(...) __VA_ARGS__

#define CTGRAD_DETAIL_PARAM_REF(T, t) T& t CTGRAD_LIFETIMEBOUND
#define CTGRAD_DETAIL_PARAM_VAL(T, t) T t CTGRAD_LIFETIMEBOUND
#define CTGRAD_DETAIL_PARAM_TMP(T, t) T&& t
#define CTGRAD_DETAIL_PARAM_FWD(T, t) T&& t

#define CTGRAD_DETAIL_TYPE_REF(T) T&
#define CTGRAD_DETAIL_TYPE_VAL(T) T
#define CTGRAD_DETAIL_TYPE_TMP(T) T
#define CTGRAD_DETAIL_TYPE_FWD(T) T

#define CTGRAD_DETAIL_KIND_REF(T) ::ctgrad::detail::identity_operand<T>
#define CTGRAD_DETAIL_KIND_VAL(T) (!::ctgrad::detail::identity_operand<T>)
#define CTGRAD_DETAIL_KIND_TMP(T) \
    (::ctgrad::detail::identity_operand<T> && !std::is_lvalue_reference<T>::value)
#define CTGRAD_DETAIL_KIND_FWD(T) true

// One overload of a one-operand function: template <HEAD class E> ... NAME(E e) { BODY }.
// HEAD is parenthesized (`()` or `(int N,)`), REQ a concept on the deduced type, BODY statements.
// PRE: parameters before the operand, parenthesized (`()` or `(par_t p,)`).
#define CTGRAD_DETAIL_UNARY_AS(K, PRE, HEAD, NAME, REQ, ...)                                   \
    template <CTGRAD_DETAIL_UNPAREN HEAD class E>                                             \
        requires CTGRAD_DETAIL_KIND_##K(E) && REQ<CTGRAD_DETAIL_TYPE_##K(E)>                  \
    constexpr auto NAME(CTGRAD_DETAIL_UNPAREN PRE CTGRAD_DETAIL_PARAM_##K(E, e)) {            \
        using e_type = CTGRAD_DETAIL_TYPE_##K(E);                                             \
        __VA_ARGS__                                                                           \
    }

// One overload of a two-operand function; REQ is a concept on both deduced types.
#define CTGRAD_DETAIL_BINARY_AS(KA, KB, NAME, REQ, ...)                                         \
    template <class A, class B>                                                               \
        requires CTGRAD_DETAIL_KIND_##KA(A) && CTGRAD_DETAIL_KIND_##KB(B) &&                  \
                 REQ<CTGRAD_DETAIL_TYPE_##KA(A), CTGRAD_DETAIL_TYPE_##KB(B)>                  \
    constexpr auto NAME(CTGRAD_DETAIL_PARAM_##KA(A, a), CTGRAD_DETAIL_PARAM_##KB(B, b)) {     \
        using a_type = CTGRAD_DETAIL_TYPE_##KA(A);                                            \
        using b_type = CTGRAD_DETAIL_TYPE_##KB(B);                                            \
        __VA_ARGS__                                                                           \
    }

#if CTGRAD_HAS_LIFETIMEBOUND
#define CTGRAD_DETAIL_UNARY_AFTER(PRE, HEAD, NAME, REQ, ...)                                   \
    CTGRAD_DETAIL_UNARY_AS(REF, PRE, HEAD, NAME, REQ, __VA_ARGS__)                            \
    CTGRAD_DETAIL_UNARY_AS(VAL, PRE, HEAD, NAME, REQ, __VA_ARGS__)                            \
    CTGRAD_DETAIL_UNARY_AS(TMP, PRE, HEAD, NAME, REQ, __VA_ARGS__)
#define CTGRAD_DETAIL_BINARY(NAME, REQ, ...)                                                   \
    CTGRAD_DETAIL_BINARY_AS(REF, REF, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(REF, VAL, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(REF, TMP, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(VAL, REF, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(VAL, VAL, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(VAL, TMP, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(TMP, REF, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(TMP, VAL, NAME, REQ, __VA_ARGS__)                                 \
    CTGRAD_DETAIL_BINARY_AS(TMP, TMP, NAME, REQ, __VA_ARGS__)
#else
#define CTGRAD_DETAIL_UNARY_AFTER(PRE, HEAD, NAME, REQ, ...) \
    CTGRAD_DETAIL_UNARY_AS(FWD, PRE, HEAD, NAME, REQ, __VA_ARGS__)
#define CTGRAD_DETAIL_BINARY(NAME, REQ, ...) \
    CTGRAD_DETAIL_BINARY_AS(FWD, FWD, NAME, REQ, __VA_ARGS__)
#endif

#define CTGRAD_DETAIL_UNARY(HEAD, NAME, REQ, ...) \
    CTGRAD_DETAIL_UNARY_AFTER((), HEAD, NAME, REQ, __VA_ARGS__)

// The usual bodies: a node of `op` over the operands, forwarded.
#define CTGRAD_DETAIL_NODE1(op) \
    return ::ctgrad::detail::make_node<op>(::ctgrad::detail::none{}, static_cast<e_type&&>(e));
#define CTGRAD_DETAIL_NODE2(op)                                                                 \
    return ::ctgrad::detail::make_node<op>(::ctgrad::detail::none{}, static_cast<a_type&&>(a), \
                                           static_cast<b_type&&>(b));
