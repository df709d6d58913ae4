#pragma once
/// @file
/// Elementary functions on SIMD packs (values/pack.hpp): `exp_of`, `log_of`, `log1p_of`,
/// `expm1_of`, `tanh_of`, `sin_of`, `cos_of`, `erf_of`, `sigmoid_of`, `softplus_of` overloads
/// for pack<double>, so that the elementwise ops whose rules use only these and + - * / run in
/// packs inside fused reductions. Run time only (packs never run in constant evaluation). Not
/// part of the public API.
///
/// Each double kernel reduces its argument (Cody-Waite with split constants), evaluates a
/// polynomial fitted by scripts/gen_pack_coefficients.py and rebuilds the result with integer
/// operations on the exponent field: no table, no branch per lane. A lane outside the kernel's
/// domain (NaN, infinities, overflow and underflow ranges, subnormals, huge trigonometric
/// arguments) is recomputed with the C library's function, so special values are exactly the C
/// library's. Every kernel is within 2 ulp of glibc over tests/simd/ulp_sweep.cpp's sweep; the
/// measured maxima are in docs/math.md. pack<float> calls the C library per lane.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "pack.hpp"

namespace ctgrad::detail {

#if CTGRAD_HAS_VECTOR_EXTENSION
namespace pm {

using pd = pack<double>;
using reg = pd::reg;
typedef std::uint64_t bits __attribute__((vector_size(CTGRAD_PACK_BYTES)));
typedef std::int64_t mask __attribute__((vector_size(CTGRAD_PACK_BYTES)));  // lanes all ones or 0

inline bits bits_of(pd x) { return (bits)x.v; }
inline pd from_bits(bits b) { return pd((reg)b); }
// A comparison's result as a mask (its own element type differs between compilers).
template <class V>
inline mask m(V c) {
    return (mask)c;
}
inline pd select(mask c, pd a, pd b) {
    const bits k = (bits)c;
    return from_bits((k & bits_of(a)) | (~k & bits_of(b)));
}
inline pd abs(pd x) { return from_bits(bits_of(x) & 0x7fffffffffffffffull); }
inline pd copysign(pd mag, pd sgn) {
    return from_bits(bits_of(mag) | (bits_of(sgn) & 0x8000000000000000ull));
}
// Whether every lane of c is set: its lanes narrowed to one byte each and read as one integer
// (a lane-by-lane loop compiles to a chain of extractions).
typedef std::int8_t mask_bytes __attribute__((vector_size(pd::width)));
inline bool all(mask c) {
    const mask_bytes b = __builtin_convertvector(c, mask_bytes);
    std::uint64_t u = 0;
    std::memcpy(&u, &b, sizeof b);
    return u == ~0ull >> (64 - 8 * pd::width);
}
// Lanes of r where `ok` is false recomputed from x by the C library's f.
template <class F>
inline pd patch(pd r, pd x, mask ok, F f) {
    if (__builtin_expect(all(ok), 1)) return r;
    for (std::size_t l = 0; l < pd::width; ++l)
        if (!ok[l]) r.v[l] = f(x.v[l]);
    return r;
}
// c[0] + x (c[1] + x (c[2] + ...)): Horner
template <std::size_t N>
inline pd poly(pd x, const double (&c)[N]) {
    pd p(c[N - 1]);
    for (std::size_t i = N - 1; i-- > 0;) p = p * x + pd(c[i]);
    return p;
}

inline constexpr double shift = 0x1.8p52;  // x + shift rounds x to an integer held in the low bits
inline constexpr double inv_ln2 = 0x1.71547652b82fep+0;
inline constexpr double ln2_hi = 0x1.62e42fee00000p-1;  // 32 bits: k ln2_hi exact for |k| < 2^21
inline constexpr double ln2_lo = 0x1.a39ef35793c76p-33;

// e^r = 1 + r + r^2 q(r), |r| <= ln2/2
inline constexpr double exp_q[] = {
    0x1.0000000000000p-1,  0x1.5555555555557p-3,  0x1.5555555555556p-5,  0x1.11111111100dfp-7,
    0x1.6c16c16c162d6p-10, 0x1.a01a01abe63a9p-13, 0x1.a01a01a6d787dp-16, 0x1.71de02372dd4ep-19,
    0x1.27e4db679d0c0p-22, 0x1.af4dddd8d7f8cp-26,  0x1.1f72fca335d17p-29};

// x = k ln2 + r with |r| <= ln2/2 (x finite, |x| < 2^20); k as a double and as 2^k's bits.
struct reduced {
    pd r, k;
    bits scale;  // 2^k, for -1022 <= k <= 1023
};
inline reduced reduce_ln2(pd x) {
    const pd t = x * inv_ln2 + shift;
    const pd k = t - shift;
    const pd r = (x - k * ln2_hi) - k * ln2_lo;
    return {r, k, (bits_of(t) - bits_of(pd(shift)) + 1023u) << 52};
}
// e^r - 1 for |r| <= ln2/2
inline pd expm1_small(pd r) { return r + r * r * poly(r, exp_q); }

// e^x for -708 <= x <= 709 (results normal, no overflow)
inline pd exp_kernel(pd x) {
    const reduced d = reduce_ln2(x);
    return (pd(1.0) + expm1_small(d.r)) * from_bits(d.scale);
}
// e^x - 1 for -40 <= x <= 709: 2^k (e^r - 1) + (2^k - 1), the second term exact
inline pd expm1_kernel(pd x) {
    const reduced d = reduce_ln2(x);
    const pd s = from_bits(d.scale);
    return s * expm1_small(d.r) + (s - pd(1.0));
}

// log(1 + f) = 2 atanh(s), s = f / (2 + f): 2 s + s R(s^2), R(z) = z g(z)
inline constexpr double log_g[] = {
    0x1.5555555555555p-1, 0x1.9999999999a38p-2, 0x1.2492492476cc4p-2, 0x1.c71c720159f01p-3,
    0x1.745cf904336dbp-3, 0x1.3b1c356dc596ap-3, 0x1.0fbe93d497354p-3, 0x1.0c03b14e1d8e6p-3};

// log(x) for normal positive finite x: x = 2^k m, m in [sqrt(1/2), sqrt(2))
inline pd log_kernel(pd x) {
    const bits b = bits_of(x);
    pd mant = from_bits((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);  // [1, 2)
    const mask big = m(mant.v > pd(0x1.6a09e667f3bcdp+0).v);                   // > sqrt(2)
    mant = select(big, mant * 0.5, mant);
    // the biased exponent as a double (exact: below 2^11), plus one where m was halved
    const pd e = from_bits((b >> 52) | 0x4330000000000000ull) - 0x1p52;
    const pd k = e - 1023.0 + from_bits((bits)big & bits_of(pd(1.0)));
    const pd f = mant - 1.0;
    const pd s = f / (f + 2.0);
    const pd z = s * s;
    const pd hfsq = 0.5 * f * f;
    const pd R = z * poly(z, log_g);
    // log(1 + f) = f - (hfsq - s (hfsq + R)): the small correction rounded apart from f
    return k * ln2_hi + (f - (hfsq - (s * (hfsq + R) + k * ln2_lo)));
}

// sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2), |r| <= pi/4
inline constexpr double sin_S[] = {-0x1.5555555555555p-3, 0x1.1111111111111p-7, -0x1.a01a01a01a019p-13,
                            0x1.71de3a556c2c8p-19, -0x1.ae64567e73210p-26, 0x1.61245fb506af7p-33,
                            -0x1.ae7c53cc0f49ep-41, 0x1.9242bc0efe4e9p-49};
inline constexpr double cos_C[] = {0x1.5555555555555p-5,  -0x1.6c16c16c16c17p-10, 0x1.a01a01a01a019p-16,
                            -0x1.27e4fb7789d98p-22, 0x1.1eed8eff336bep-29, -0x1.939749544876cp-37,
                            0x1.ae7ce8e04d3f7p-45,  -0x1.65d2c04549dfap-53};
inline constexpr double two_over_pi = 0x1.45f306dc9c883p-1;
inline constexpr double pio2_1 = 0x1.921fb54400000p+0;  // pi/2 in three parts, the first two of 32 bits
inline constexpr double pio2_2 = 0x1.0b4611a600000p-34;
inline constexpr double pio2_3 = 0x1.3198a2e037073p-69;
inline constexpr double trig_max = 0x1p15;  // larger arguments go to the C library

// sin(x) (cos: quarter turn added) for |x| <= trig_max: x = q pi/2 + (r + rlo)
inline pd sincos_kernel(pd x, bool cosine) {
    const pd t = x * two_over_pi + shift;
    const pd q = t - shift;
    bits n = bits_of(t) - bits_of(pd(shift));
    if (cosine) n = n + 1u;
    const pd t1 = x - q * pio2_1;  // exact
    const pd w = q * pio2_2;       // exact
    // r1 + e1 = t1 - w exactly (two-sum), then the third part
    const pd r1 = t1 - w;
    const pd bb = r1 - t1;
    const pd e1 = (t1 - (r1 - bb)) - (-w - bb);
    const pd c = e1 - q * pio2_3;
    const pd r = r1 + c;
    const pd rlo = (r1 - r) + c;
    const pd z = r * r;
    const pd s = r + (r * z * poly(z, sin_S) + rlo);
    const pd hz = 0.5 * z;
    const pd wc = 1.0 - hz;
    const pd co = wc + (((1.0 - wc) - hz) + (z * z * poly(z, cos_C) - r * rlo));
    const mask odd = (mask)((n & 1u) != 0u);
    const pd v = select(odd, co, s);
    return from_bits(bits_of(v) ^ ((n & 2u) << 62));
}

// tanh(x) = x + x^3 T(x^2) for |x| < 0.55
inline constexpr double tanh_T[] = {-0x1.5555555555555p-2, 0x1.1111111111109p-3,  -0x1.ba1ba1ba1a732p-5,
                             0x1.664f48822e996p-6,  -0x1.226e3539b8ef8p-7, 0x1.d6d3c5fffba4fp-9,
                             -0x1.7da25da3e3830p-10, 0x1.3547bf9b6dd3bp-11, -0x1.f41d10c286855p-13,
                             0x1.8c93b2d22e134p-14, -0x1.1adecfd50dd2bp-15, 0x1.08375b99f8eb8p-17};

// erf(x) = x + x y(x^2) for |x| < 0.84375
inline constexpr double erf_y[] = {0x1.06eba8214db68p-3,  -0x1.812746b0379a7p-2, 0x1.ce2f21a03f41cp-4,
                            -0x1.b82ce31156813p-6, 0x1.565bccd877f16p-8,  -0x1.c02da8e51a74cp-11,
                            0x1.f9a1b946d0901p-14, -0x1.f4b40c5d47a5cp-17, 0x1.b847241337b55p-20,
                            -0x1.517729425b5acp-23, 0x1.708feb8d6dc51p-27};

// erfc(x) = e^(-x^2) h(x) for 0.84375 <= x < 6: h in two pieces, each a polynomial in
// t = (x - mid) / half, t in [-1, 1]
inline constexpr double erfc_mid1 = 0x1.8cp+0, erfc_inv_half1 = 0x1.6c16c16c16c17p+0;  // [0.84375, 2.25]
inline constexpr double erfc_h1[] = {
    0x1.419e1459a6f68p-2,  -0x1.c3486a5cc102bp-4,  0x1.2259911e107f7p-5,  -0x1.5bc7290cde10ep-7,
    0x1.87d663078a66ap-9,  -0x1.a280928d16943p-11, 0x1.aa41529602b4fp-13, -0x1.9ffcf40eb3a7fp-15,
    0x1.867cfdc615e2fp-17, -0x1.61b4cd811bdc0p-19, 0x1.35ffb159812f5p-21, -0x1.077d7d545c1bep-23,
    0x1.b342d6ace0e29p-26, -0x1.5df82f7c11a4ap-28, 0x1.127c9a6047864p-30, -0x1.a41fd1794826dp-33,
    0x1.3675d08023ab6p-35, -0x1.c6feffcf36b66p-38, 0x1.802f85294be99p-40, -0x1.0ca2e3263452fp-42};
inline constexpr double erfc_mid2 = 0x1.08p+2, erfc_inv_half2 = 0x1.1111111111111p-1;  // [2.25, 6]
inline constexpr double erfc_h2[] = {
    0x1.10845e1dcb182p-3,  -0x1.d5e92d865004fp-5,  0x1.8b9bded053e20p-6,  -0x1.45b2a1073645dp-7,
    0x1.068e612fffbbbp-8,  -0x1.9ef7a09b92346p-10, 0x1.41c9fd0617957p-11, -0x1.ea2c8216287c2p-13,
    0x1.6efbb2156b74bp-14, -0x1.0e483e34cc19bp-15, 0x1.87f53502997d3p-17, -0x1.17e7ddbb3334bp-18,
    0x1.8926f33fd8bf3p-20, -0x1.10ebb6d203318p-21, 0x1.7f6e28f649502p-23, -0x1.02ac023dcaf47p-24,
    0x1.17554036c19c5p-26, -0x1.7453b9128a377p-28, 0x1.eb084c08433f0p-29, -0x1.388f91ef19c94p-30};

// erfc(a) for 0.84375 <= a < 6
inline pd erfc_mid(pd a) {
    // a^2 = hi + lo exactly (Dekker: a split into two 26-bit halves)
    const pd c = a * 134217729.0;
    const pd ah = c - (c - a), al = a - ah;
    const pd hi = a * a;
    const pd lo = ((ah * ah - hi) + 2.0 * ah * al) + al * al;
    const pd e = exp_kernel(-hi) * (1.0 - lo);  // e^-(hi + lo)
    const mask first = m(a.v < 2.25);
    const pd h = select(first, poly((a - erfc_mid1) * erfc_inv_half1, erfc_h1),
                        poly((a - erfc_mid2) * erfc_inv_half2, erfc_h2));
    return e * h;
}

}  // namespace pm

// The kernels' domains: lanes outside go to the C library (NaN fails every comparison).
inline pack<double> exp_of(const pack<double>& x) {
    using namespace pm;
    // (other lanes run the kernel too, on unsigned bits, and are replaced)
    const mask ok = m(x.v >= -708.0) & m(x.v <= 709.0);
    return patch(exp_kernel(x), x, ok, [](double v) { return std::exp(v); });
}
inline pack<double> expm1_of(const pack<double>& x) {
    using namespace pm;
    // (tiny |x| and -0 go to the C library: x itself, sign kept)
    const pd a = abs(x);
    const mask ok = m(x.v >= -40.0) & m(x.v <= 709.0) & m(a.v >= 0x1p-54);
    return patch(expm1_kernel(select(ok, x, pd(0.0))), x, ok, [](double v) { return std::expm1(v); });
}
inline pack<double> log_of(const pack<double>& x) {
    using namespace pm;
    const mask ok = m(x.v >= 0x1p-1022) & m(x.v <= 0x1.fffffffffffffp+1023);
    return patch(log_kernel(select(ok, x, pd(1.0))), x, ok, [](double v) { return std::log(v); });
}
inline pack<double> log1p_of(const pack<double>& x) {
    using namespace pm;
    // log1p(x) = log(u) + (x - (u - 1)) / u, u = 1 + x: the rounding of u corrected
    const pd a = abs(x);
    const mask ok = m(x.v > -1.0) & m(x.v <= 0x1p1000) & m(a.v >= 0x1p-54);
    const pd xs = select(ok, x, pd(0.0));
    const pd u = xs + 1.0;
    const pd r = log_kernel(u) + (xs - (u - 1.0)) / u;
    return patch(r, x, ok, [](double v) { return std::log1p(v); });
}
inline pack<double> sin_of(const pack<double>& x) {
    using namespace pm;
    // (|x| < 2^-27: sin x = x, and -0 keeps its sign)
    const pd a = abs(x);
    const mask ok = m(a.v <= trig_max);
    const pd v = select(m(a.v < 0x1p-27), x, sincos_kernel(select(ok, x, pd(0.0)), false));
    return patch(v, x, ok, [](double u) { return std::sin(u); });
}
inline pack<double> cos_of(const pack<double>& x) {
    using namespace pm;
    const mask ok = m(abs(x).v <= trig_max);
    return patch(sincos_kernel(select(ok, x, pd(0.0)), true), x, ok, [](double v) { return std::cos(v); });
}
inline pack<double> tanh_of(const pack<double>& x) {
    using namespace pm;
    // |x| < 0.55: x + x^3 T(x^2); up to 22: 1 - 2 / (e^2|x| + 1); beyond: 1
    const pd a = abs(x);
    const mask ok = m(a.v >= 0x1p-54) & m(a.v <= 22.0);
    const mask big = m(a.v >= 0.55);
    const pd as = select(ok, a, pd(1.0));
    const pd z = as * as;
    const pd small = as + as * z * poly(z, tanh_T);
    const pd r = select(big, 1.0 - 2.0 / (expm1_kernel(as + as) + 2.0), small);
    const mask one = m(a.v > 22.0);
    const pd v = copysign(select(one, pd(1.0), r), x);
    return patch(v, x, ok | one, [](double u) { return std::tanh(u); });
}
inline pack<double> erf_of(const pack<double>& x) {
    using namespace pm;
    // |x| < 0.84375: x + x y(x^2); up to 6: 1 - erfc(|x|); beyond: 1 (erf rounds to 1)
    const pd a = abs(x);
    const mask ok = m(a.v >= 0x1p-1000) & m(a.v <= 0x1p100);
    const pd as = select(ok, a, pd(1.0));
    const pd z = as * as;
    pd r = as + as * poly(z, erf_y);
    const mask small = m(as.v < 0.84375);
    if (!all(small)) {  // (the second branch only when a lane needs it)
        const pd large = 1.0 - erfc_mid(select(m(as.v < 6.0), as, pd(6.0)));
        r = select(small, r, select(m(as.v < 6.0), large, pd(1.0)));
    }
    return patch(copysign(r, x), x, ok, [](double v) { return std::erf(v); });
}
inline pack<double> sigmoid_of(const pack<double>& x) {
    using namespace pm;
    // the scalar rule's two sides, 1 / (1 + e^-x) and e^x / (1 + e^x), with e = e^-|x|
    const pd e = exp_of(-abs(x));
    return select(m(x.v >= 0.0), pd(1.0), e) / (1.0 + e);
}
inline pack<double> softplus_of(const pack<double>& x) {
    using namespace pm;
    // the scalar rule: x + log1p(e^-x) for x > 0, else log1p(e^x)
    const pd l = log1p_of(exp_of(-abs(x)));
    return select(m(x.v > 0.0), x + l, l);
}
#endif

// pack<float> (and any other pack): the C library per lane.
#define CTGRAD_PACK_PER_LANE(f)                              \
    template <class T>                                       \
    inline pack<T> f##_of(const pack<T>& x) {                \
        pack<T> r = x;                                       \
        for (std::size_t l = 0; l < pack<T>::width; ++l)     \
            r.v[l] = std::f(x.v[l]);                         \
        return r;                                            \
    }
#if CTGRAD_HAS_VECTOR_EXTENSION
CTGRAD_PACK_PER_LANE(exp)
CTGRAD_PACK_PER_LANE(expm1)
CTGRAD_PACK_PER_LANE(log)
CTGRAD_PACK_PER_LANE(log1p)
CTGRAD_PACK_PER_LANE(sin)
CTGRAD_PACK_PER_LANE(cos)
CTGRAD_PACK_PER_LANE(tanh)
CTGRAD_PACK_PER_LANE(erf)
#endif
template <class T>
inline pack<T> sigmoid_of(const pack<T>& x) {
    pack<T> r = x;
    for (std::size_t l = 0; l < pack<T>::width; ++l) {
        const T v = x.v[l];
        r.v[l] = v >= T(0) ? T(1) / (T(1) + std::exp(-v)) : std::exp(v) / (T(1) + std::exp(v));
    }
    return r;
}
template <class T>
inline pack<T> softplus_of(const pack<T>& x) {
    pack<T> r = x;
    for (std::size_t l = 0; l < pack<T>::width; ++l) {
        const T v = x.v[l];
        r.v[l] = v > T(0) ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
    }
    return r;
}
#undef CTGRAD_PACK_PER_LANE

}  // namespace ctgrad::detail
