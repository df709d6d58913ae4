#pragma once
// Support for the generated differential tests (tests/diff/gen_diff.py writes the cases).
//
// Every generated expression exists three times: as a ctgrad expression, and as one function
// template `plain<T>(const T* x)` written in straight-line code over the flattened leaf
// components. That template is instantiated with long double (central finite differences) and,
// when Sacado is available, with Sacado::Rad::ADvar<double> (a second reverse mode). The ops the
// template calls are the `f_*` overloads below; their derivatives never come from ctgrad.
#include <cmath>
#include <cstddef>

#if CTGRAD_DIFF_SACADO
#include <Sacado_trad.hpp>
#endif

namespace ctgrad_diff {

// ---------------------------------------------------------------------------------------------
// The reference ops in long double: the C library.
using ld = long double;
inline ld f_exp(ld a) { return std::exp(a); }
inline ld f_log(ld a) { return std::log(a); }
inline ld f_log1p(ld a) { return std::log1p(a); }
inline ld f_expm1(ld a) { return std::expm1(a); }
inline ld f_sqrt(ld a) { return std::sqrt(a); }
inline ld f_cbrt(ld a) { return std::cbrt(a); }
inline ld f_sin(ld a) { return std::sin(a); }
inline ld f_cos(ld a) { return std::cos(a); }
inline ld f_tan(ld a) { return std::tan(a); }
inline ld f_asin(ld a) { return std::asin(a); }
inline ld f_acos(ld a) { return std::acos(a); }
inline ld f_atan(ld a) { return std::atan(a); }
inline ld f_sinh(ld a) { return std::sinh(a); }
inline ld f_cosh(ld a) { return std::cosh(a); }
inline ld f_tanh(ld a) { return std::tanh(a); }
inline ld f_erf(ld a) { return std::erf(a); }
inline ld f_erfc(ld a) { return std::erfc(a); }
inline ld f_sigmoid(ld a) { return 1.0L / (1.0L + std::exp(-a)); }
inline ld f_softplus(ld a) { return std::log1p(std::exp(a)); }
inline ld f_relu(ld a) { return a > 0.0L ? a : 0.0L; }
inline ld f_abs(ld a) { return std::fabs(a); }
inline ld f_atan2(ld a, ld b) { return std::atan2(a, b); }
inline ld f_hypot(ld a, ld b) { return std::hypot(a, b); }
inline ld f_min(ld a, ld b) { return b < a ? b : a; }
inline ld f_max(ld a, ld b) { return a < b ? b : a; }
inline ld f_pow(ld a, ld b) { return std::pow(a, b); }
inline ld f_add(ld a, ld b) { return a + b; }
inline ld f_sub(ld a, ld b) { return a - b; }
inline ld f_mul(ld a, ld b) { return a * b; }
inline ld f_div(ld a, ld b) { return a / b; }

#if CTGRAD_DIFF_SACADO
// ---------------------------------------------------------------------------------------------
// The same ops for Sacado::Rad, defined in diff_main.cpp: compiled once rather than inlined into
// every generated function.
using ad = Sacado::Rad::ADvar<double>;
ad f_add(const ad& a, const ad& b);
ad f_sub(const ad& a, const ad& b);
ad f_mul(const ad& a, const ad& b);
ad f_div(const ad& a, const ad& b);
ad f_exp(const ad& a);
ad f_log(const ad& a);
ad f_log1p(const ad& a);
ad f_expm1(const ad& a);
ad f_sqrt(const ad& a);
ad f_cbrt(const ad& a);
ad f_sin(const ad& a);
ad f_cos(const ad& a);
ad f_tan(const ad& a);
ad f_asin(const ad& a);
ad f_acos(const ad& a);
ad f_atan(const ad& a);
ad f_sinh(const ad& a);
ad f_cosh(const ad& a);
ad f_tanh(const ad& a);
ad f_erf(const ad& a);
ad f_erfc(const ad& a);
ad f_sigmoid(const ad& a);
ad f_softplus(const ad& a);
ad f_relu(const ad& a);
ad f_abs(const ad& a);
ad f_atan2(const ad& a, const ad& b);
ad f_hypot(const ad& a, const ad& b);
ad f_min(const ad& a, const ad& b);
ad f_max(const ad& a, const ad& b);
ad f_pow(const ad& a, const ad& b);
#endif

// Integer power by repeated multiplication (negative N: reciprocal).
template <int N, class T>
T f_ipow(const T& a) {
    constexpr int n = N < 0 ? -N : N;
    T r = a;
    for (int k = 1; k < n; ++k) r = f_mul(r, a);
    if constexpr (N < 0) return f_div(T(1.0), r);
    else return r;
}

// ---------------------------------------------------------------------------------------------
// One expression and its points, as the generated code describes it to the checker.
struct case_info {
    const char* id;            // "seed S, expression K"
    const char* text;          // the ctgrad expression, as written in the generated source
    std::size_t n;             // number of leaf components (the length of a point)
    const char* const* names;  // name of each component: "x0", "v1[2]", "m0(1,0)"
    const bool* grad;          // does that component's leaf require grad?
};

// Per-point data computed by the generator: the point, the finite-difference step of each
// component, the condition scale of each gradient component (the sum over all paths of the
// absolute values of the chain-rule products), the largest intermediate magnitude, and the
// rounding scale of f (the sum over intermediates v of |df/dv| |v|: eps times it bounds the
// rounding error of evaluating f).
struct point_info {
    const double* x;
    const double* h;
    const double* cond;
    double vmax;
    double fround;
};

using plain_ld = long double (*)(const long double*);
#if CTGRAD_DIFF_SACADO
using plain_ad = ad (*)(const ad*);
#else
using plain_ad = void*;
#endif

// Checks ctgrad's value and gradient (g has n entries; entries of non-grad components are
// ignored) at one point against finite differences of f and against Sacado's gradient of fa.
void check(const case_info& c, const point_info& p, double value, const double* g, plain_ld f,
           plain_ad fa);

// Checks that a second backward pass doubled each gradient component of g (up to the rounding
// of the sums: a leaf used k times receives k additions per pass; cond is the condition scale).
void check_accumulation(const case_info& c, const double* cond, const double* g, const double* g2);

}  // namespace ctgrad_diff
