#pragma once
/// @file
/// The constexpr elementary-function kernels, `ctgrad::math::cx::f`. They are usable both in
/// constant evaluation and at run time (tests compare them against the C library). Methods and
/// measured accuracy: docs/math.md.
#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "constants.hpp"
#include "wide.hpp"

namespace ctgrad::math::detail {

// ---------------------------------------------------------------------------------------------
// exp: x = k ln2 + r, |r| <= ln2/2 (Cody-Waite, ln2 in two parts), expm1(r) by a polynomial.
struct scaled {
  wide y;  // in [1, 2)
  int n;   // value = y * 2^n
};

/// exp(x + xl) as y * 2^n, |x| <= 2^14 * ln2 + 1.
constexpr scaled exp_core(wide x, wide xl) noexcept
{
  const long long k = nearest_ll(x * coef::inv_ln2);
  const wide kf = static_cast<wide>(k);
  const wide r_hi = x - kf * coef::ln2_hi;  // exact
  const wide r_lo = xl - kf * coef::ln2_lo;
  const dd r = two_sum(r_hi, r_lo);
  const wide em = r.hi + r.hi * r.hi * horner(coef::expm1_q, r.hi);  // expm1(r.hi)
  wide y = 1 + (em + r.lo * (1 + em));
  int n = static_cast<int>(k);
  if (y < 1) {
    y *= 2;
    --n;
  }
  return {y, n};
}

constexpr wide expm1_small(wide r) noexcept  // |r| <= ln2/2
{
  return r + r * r * horner(coef::expm1_q, r);
}

/// exp(x) in wide for |x| below ~11400 (caller screens); handles wide overflow / subnormals.
constexpr wide exp_w(wide x, int extra_scale = 0) noexcept
{
  scaled s = exp_core(x, 0);
  return ldexp_w(s.y, s.n + extra_scale);
}

/// expm1 in wide, finite x with -50 <= x <= 50 (larger |x| handled by callers).
constexpr wide expm1_w(wide x) noexcept
{
  const wide ax = x < 0 ? -x : x;
  if (ax < 0x1p-70L) return x;
  if (ax <= 0.34657359027997265L) return expm1_small(x);
  if (x < -46) return -1;
  const long long k = nearest_ll(x * coef::inv_ln2);
  const wide kf = static_cast<wide>(k);
  const wide r_hi = x - kf * coef::ln2_hi;
  const wide r_lo = -kf * coef::ln2_lo;
  const dd r = two_sum(r_hi, r_lo);
  const wide em = expm1_small(r.hi) + r.lo * (1 + r.hi);
  const wide two_k = pow2(static_cast<int>(k));
  return (two_k - 1) + two_k * em;
}

// ---------------------------------------------------------------------------------------------
// log: x = 2^e m, m in [sqrt(1/2), sqrt 2), log m = 2 atanh(s), s = (m-1)/(m+1) as a double-wide.
/// log(x) as a double-wide, x > 0 finite.
constexpr dd log_dd(wide x) noexcept
{
  fr f = frexp_w(x);
  wide m = f.m;
  int e = f.e;
  if (m < 0.70710678118654752440L) {
    m *= 2;
    --e;
  }
  const wide num = m - 1;  // exact
  const dd den = two_sum(m, 1);
  const wide s_hi = num / den.hi;
  const dd p = two_prod(s_hi, den.hi);
  const wide s_lo = (((num - p.hi) - p.lo) - s_hi * den.lo) / den.hi;
  // 2s + (2/3)s^3 in double-wide, the rest (relative size < 2^-12) in wide
  const dd z2 = two_prod(s_hi, s_hi);
  const wide z = z2.hi;
  dd s3 = dd_mul_w(z2, s_hi);
  s3.lo += 3 * z * s_lo;
  const dd t3 = dd_mul(s3, dd{coef::two_thirds_hi, coef::two_thirds_lo});
  const wide t5 = s_hi * z * z * horner(coef::log_l2, z);
  dd logm = dd_add(fast_two_sum(2 * s_hi, 2 * s_lo), t3);
  logm = fast_two_sum(logm.hi, logm.lo + t5);
  if (e == 0) return logm;
  const wide ef = static_cast<wide>(e);
  dd el = two_prod(ef, coef::ln2_dd_hi);
  el.lo += ef * coef::ln2_dd_lo;
  return dd_add(el, logm);
}

/// log(1 + x) in wide, x > -1 finite.
constexpr wide log1p_w(wide x) noexcept
{
  const wide ax = x < 0 ? -x : x;
  if (ax < 0x1p-70L) return x;
  if (x > -0.29289321881345247560L && x < 0.41421356237309504880L) {
    const wide s = x / (2 + x);
    const wide z = s * s;
    // log1p(x) = 2s + s^3 L(s^2) = x - s*x + s^3 L, the first form with 2s split for accuracy
    const wide two_s = 2 * s;
    // correction for the rounding of s: 2(x - s(2+x))/(2+x)
    const dd p = two_prod(s, 2 + x);
    const wide corr = 2 * ((x - p.hi) - p.lo) / (2 + x);
    return two_s + (corr + s * (z * horner(coef::log_l, z)));
  }
  const dd u = two_sum(1, x);  // 1 + x = u.hi + u.lo exactly
  const dd l = log_dd(u.hi);
  return l.hi + (l.lo + u.lo / u.hi);
}

// ---------------------------------------------------------------------------------------------
// Trigonometric argument reduction: x = q pi/2 + r, r = hi + lo, |r| <= ~pi/4.
struct reduced {
  int q;  // quadrant, mod 4
  wide hi;
  wide lo;
};

/// Bits [pos, pos+64) of a little-endian array of 32-bit limbs.
template <std::size_t N> constexpr std::uint64_t bits64(const std::uint32_t (&l)[N], int pos) noexcept
{
  auto limb = [&](int i) -> std::uint64_t {
    return (i >= 0 && static_cast<std::size_t>(i) < N) ? l[i] : 0u;
  };
  const int w = pos >> 5;
  const int s = pos & 31;
  const std::uint64_t low = limb(w) | (limb(w + 1) << 32);
  const std::uint64_t high = limb(w + 2);
  return s == 0 ? low : ((low >> s) | (high << (64 - s)));
}

/// Payne-Hanek: |x| >= 2^22, finite. Uses 224 bits of 2/pi starting near the exponent of x.
constexpr reduced rem_pio2_large(wide x) noexcept
{
  const bool neg = x < 0;
  fr f = frexp_w(neg ? -x : x);
  const std::uint64_t mant = static_cast<std::uint64_t>(f.m * 0x1p64L);  // exact
  const int E = f.e - 64;                                                 // x = mant 2^E
  // bits of 2/pi numbered from 1 (weight 2^-1); bits with index <= E-2 only add multiples of 4.
  int i0 = E - 1;
  if (i0 < 1) i0 = 1;
  const int w0 = (i0 - 1) >> 5;
  std::uint32_t win[7] = {};  // little-endian: win[0] least significant
  for (int j = 0; j < 7; ++j) win[6 - j] = coef::two_over_pi_bits[w0 + j];
  std::uint32_t prod[9] = {};
  const std::uint64_t m0 = mant & 0xffffffffu;
  const std::uint64_t m1 = mant >> 32;
  for (int j = 0; j < 7; ++j) {  // prod += win[j] * mant << 32j
    std::uint64_t a = win[j] * m0;
    std::uint64_t b = win[j] * m1;
    std::uint64_t carry = 0;
    std::uint64_t t = static_cast<std::uint64_t>(prod[j]) + (a & 0xffffffffu);
    prod[j] = static_cast<std::uint32_t>(t);
    carry = t >> 32;
    t = static_cast<std::uint64_t>(prod[j + 1]) + (a >> 32) + (b & 0xffffffffu) + carry;
    prod[j + 1] = static_cast<std::uint32_t>(t);
    carry = t >> 32;
    t = static_cast<std::uint64_t>(prod[j + 2]) + (b >> 32) + carry;
    prod[j + 2] = static_cast<std::uint32_t>(t);
    carry = t >> 32;
    for (int k = j + 3; k < 9 && carry != 0; ++k) {
      t = static_cast<std::uint64_t>(prod[k]) + carry;
      prod[k] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
  }
  // value = prod * 2^(E - 32(w0+7)); fraction bits below position sh
  const int sh = 32 * (w0 + 7) - E;
  int q = static_cast<int>(bits64(prod, sh) & 3u);
  std::uint64_t a = bits64(prod, sh - 64);   // fraction bits 1..64
  std::uint64_t b = bits64(prod, sh - 128);  // fraction bits 65..128
  bool negf = false;
  if (a >> 63) {  // fraction >= 1/2: use fraction - 1 and the next quadrant
    ++q;
    negf = true;
    b = ~b + 1;
    a = ~a + (b == 0 ? 1u : 0u);
  }
  const dd frac = fast_two_sum(static_cast<wide>(a) * 0x1p-64L, static_cast<wide>(b) * 0x1p-128L);
  dd r = dd_mul(frac, dd{coef::pio2_hi, coef::pio2_lo});
  if (negf != neg) r = dd{-r.hi, -r.lo};
  if (neg) q = -q;
  return {q & 3, r.hi, r.lo};
}

constexpr reduced rem_pio2(wide x) noexcept
{
  const wide ax = x < 0 ? -x : x;
  if (ax <= 0.78539816339744830962L) return {0, x, 0};
  if (ax < 0x1p22L) {
    const long long k = nearest_ll(x * coef::two_over_pi);
    const wide kf = static_cast<wide>(k);
    const wide r1 = x - kf * coef::pio2_1;  // exact
    const dd s = two_sum(r1, -(kf * coef::pio2_2));  // kf * pio2_2 exact
    const dd p = two_prod(kf, coef::pio2_3);
    const dd u = two_sum(s.hi, -p.hi);
    const wide lo = u.lo + (s.lo - p.lo - kf * coef::pio2_3lo);
    const dd r = fast_two_sum(u.hi, lo);
    return {static_cast<int>(k & 3), r.hi, r.lo};
  }
  return rem_pio2_large(x);
}

constexpr wide sin_k(wide h, wide l) noexcept
{
  const wide z = h * h;
  return h + (h * z * horner(coef::sin_s, z) + l * (1 - 0.5L * z));
}

constexpr wide cos_k(wide h, wide l) noexcept
{
  const wide z = h * h;
  const wide hz = 0.5L * z;
  const wide w = 1 - hz;
  return w + (((1 - w) - hz) + (z * z * horner(coef::cos_c, z) - h * l));
}

// ---------------------------------------------------------------------------------------------
// atan: a = i/16 + d, atan a = atan(i/16) + atan((a - i/16)/(1 + a i/16)); a > 1 via pi/2 - atan(1/a).
/// atan(a) for 0 <= a <= 1 as a double-wide (hi + lo).
constexpr dd atan_unit(wide a) noexcept
{
  const int i = static_cast<int>(a * 16 + 0.5L);
  const wide c = static_cast<wide>(i) * 0.0625L;
  const wide t = (a - c) / (1 + a * c);
  const wide z = t * t;
  const wide pt = t * z * horner(coef::atan_a, z);
  if (i == 0) return fast_two_sum(t, pt);
  return fast_two_sum(coef::atan_tab_hi[i], coef::atan_tab_lo[i] + (t + pt));
}

/// atan2(y, x) for y >= 0 finite, x finite, not both zero; result in [0, pi].
constexpr wide atan2_core(wide y, wide x) noexcept
{
  const bool xneg = x < 0;
  const wide ax = xneg ? -x : x;
  dd ang;
  if (y == 0) {
    ang = {0, 0};
  } else if (ax == 0) {
    ang = {coef::pio2_hi, coef::pio2_lo};
  } else {
    const fr fy = frexp_w(y);
    const fr fx = frexp_w(ax);
    if (fy.e - fx.e > 70) {
      ang = {coef::pio2_hi, coef::pio2_lo};  // y/x beyond 2^69: atan = pi/2 - x/y
      ang.lo -= ldexp_w(fx.m / fy.m, fx.e - fy.e);
    } else if (fx.e - fy.e > 70) {
      ang = {ldexp_w(fy.m / fx.m, fy.e - fx.e), 0};  // atan(t) = t to 2^-140
    } else if (y <= ax) {
      ang = atan_unit(y / ax);
    } else {
      const dd a = atan_unit(ax / y);
      ang = fast_two_sum(coef::pio2_hi, coef::pio2_lo - a.hi - a.lo);
    }
  }
  if (xneg) {
    const dd r = two_sum(coef::pi_hi, -ang.hi);
    return r.hi + (r.lo + (coef::pi_lo - ang.lo));
  }
  return ang.hi + ang.lo;
}

// ---------------------------------------------------------------------------------------------
/// Correctly rounded sqrt of a double in [1,4) given a close wide approximation y.
constexpr double sqrt_fix_double(double m, wide y) noexcept
{
  // m = M 2^-52, candidate r = R 2^-52; correct R satisfies (2R-1)^2 <= 4M 2^52 < (2R+1)^2.
  const std::uint64_t M = static_cast<std::uint64_t>(static_cast<wide>(m) * 0x1p52L);
  std::uint64_t R = static_cast<std::uint64_t>(static_cast<wide>(static_cast<double>(y)) * 0x1p52L);
  auto sq = [](std::uint64_t v, std::uint64_t& hi, std::uint64_t& lo) {  // v^2, v < 2^64
    const std::uint64_t v0 = v & 0xffffffffu, v1 = v >> 32;
    const std::uint64_t p00 = v0 * v0, p01 = v0 * v1, p11 = v1 * v1;
    const std::uint64_t mid = p01 << 1;  // may lose the top bit: handle below
    const std::uint64_t mid_carry = p01 >> 63;
    lo = p00 + (mid << 32);
    const std::uint64_t c = lo < p00 ? 1u : 0u;
    hi = p11 + (mid >> 32) + (mid_carry << 32) + c;
  };
  // target 4M 2^52 = M 2^54 as (hi, lo)
  const std::uint64_t t_hi = M >> 10;
  const std::uint64_t t_lo = M << 54;
  auto less = [](std::uint64_t ah, std::uint64_t al, std::uint64_t bh, std::uint64_t bl) {
    return ah < bh || (ah == bh && al < bl);
  };
  std::uint64_t h = 0, l = 0;
  sq(2 * R + 1, h, l);
  if (!less(t_hi, t_lo, h, l)) {
    ++R;
  } else {
    sq(2 * R - 1, h, l);
    if (less(t_hi, t_lo, h, l)) --R;
  }
  return static_cast<double>(static_cast<wide>(R) * 0x1p-52L);
}

/// sqrt of m in [1,4) in wide: Newton plus a compensated final step.
constexpr wide sqrt_unit(wide m) noexcept
{
  wide y = 0.59 + 0.42 * m - 0.0255 * m * m;  // within ~2% on [1,4]
  for (int i = 0; i < 4; ++i) y = 0.5L * (y + m / y);
  const dd p = two_prod(y, y);
  return y + ((m - p.hi) - p.lo) / (2 * y);
}

/// sqrt of a positive finite wide value (nearly correctly rounded).
constexpr wide sqrt_w(wide x) noexcept
{
  fr f = frexp_w(x);
  wide m = f.m * 2;
  int e = f.e - 1;  // x = m 2^e, m in [1,2)
  if (e & 1) {
    m *= 2;
    --e;
  }
  return ldexp_w(sqrt_unit(m), e / 2);
}

/// cbrt of a positive finite wide value.
constexpr wide cbrt_w(wide x) noexcept
{
  fr f = frexp_w(x);
  int e = f.e;
  int j = ((e % 3) + 3) % 3;
  wide m = f.m;  // in [0.5, 1)
  if (j == 1) m *= 2;
  if (j == 2) m *= 4;
  e -= j;  // x = m 2^e, m in [0.5, 4), e multiple of 3
  wide y = 0.72L + 0.23L * m - 0.012L * m * m;
  for (int i = 0; i < 5; ++i) y = y - (y * y * y - m) / (3 * y * y);
  // compensated final step: r = m - y^3 exactly-ish
  const dd y2 = two_prod(y, y);
  const dd y3a = two_prod(y2.hi, y);
  const wide res = ((m - y3a.hi) - y3a.lo) - y2.lo * y;
  y += res / (3 * y * y);
  return ldexp_w(y, e / 3);
}

// ---------------------------------------------------------------------------------------------
// erf / erfc
constexpr wide erf_small(wide x) noexcept  // |x| <= 0.75
{
  return x * horner(coef::erf_p, x * x);
}

/// erfc(a) for 0.5 <= a, finite; 0 once below the wide range.
constexpr wide erfc_pos(wide a) noexcept
{
  if (a > 106.8L) return 0;
  const dd a2 = two_prod(a, a);
  const scaled ex = exp_core(-a2.hi, -a2.lo);
  wide g;
  if (a < 1) g = horner(coef::erfc_g0, a - 0.75L);
  else if (a < 1.5L) g = horner(coef::erfc_g1, a - 1.25L);
  else if (a < 2) g = horner(coef::erfc_g2, a - 1.75L);
  else if (a < 3) g = horner(coef::erfc_g3, a - 2.5L);
  else if (a < 4.5L) g = horner(coef::erfc_g4, a - 3.75L);
  else g = horner(coef::erfc_asym, 1 / a2.hi) / a;
  return ldexp_w(ex.y * g, ex.n);
}

}  // namespace ctgrad::math::detail

namespace ctgrad::math::cx {

// Every kernel: NaN in -> NaN out, infinities and zeros handled before any arithmetic; an argument
// outside the domain calls detail::<f>_argument_outside_domain() in constant evaluation (a
// compile error naming the function) and returns NaN at run time.

template <std::floating_point T> constexpr T abs(T x) noexcept
{
  if (x < 0) return -x;
  if (x == 0) return T(0);
  return x;
}

template <std::floating_point T> constexpr T exp(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (x == 0) return T(1);
  // thresholds beyond which the result over/underflows T for sure
  constexpr wide hi = (max_exp_v<T> + 1) * 0.69314718055994530942L;
  constexpr wide lo = (min_exp_v<T> - 2) * 0.69314718055994530942L;
  if (x > hi) return infinity<T>();
  if (x < lo) return T(0);
  scaled s = exp_core(x, 0);
  return narrow<T>(ldexp_w(s.y, s.n));
}

template <std::floating_point T> constexpr T expm1(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  if (x == infinity<T>()) return x;
  if (x < -50) return T(-1);
  if (x > 50) return cx::exp(x);  // exp(x) - 1 rounds to exp(x) in every format here
  return narrow<T>(expm1_w(x));
}

template <std::floating_point T> constexpr T log(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (x < 0) {
    if (std::is_constant_evaluated()) log_argument_outside_domain();
    return qnan<T>();
  }
  if (x == 0) return -infinity<T>();
  if (x == infinity<T>()) return x;
  if (x == 1) return T(0);
  const dd l = log_dd(x);
  return narrow<T>(l.hi + l.lo);
}

template <std::floating_point T> constexpr T log1p(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  if (x < -1) {
    if (std::is_constant_evaluated()) log1p_argument_outside_domain();
    return qnan<T>();
  }
  if (x == -1) return -infinity<T>();
  if (x == infinity<T>()) return x;
  return narrow<T>(log1p_w(x));
}

template <std::floating_point T> constexpr T sqrt(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  if (x < 0) {
    if (std::is_constant_evaluated()) sqrt_argument_outside_domain();
    return qnan<T>();
  }
  if (x == infinity<T>()) return x;
  if constexpr (std::is_same_v<T, float>) {
    return static_cast<float>(cx::sqrt(static_cast<double>(x)));  // exact: 53 >= 2*24 + 2
  } else if constexpr (std::numeric_limits<T>::digits == 53) {
    fr f = frexp_w(x);
    wide m = f.m * 2;
    int e = f.e - 1;
    if (e & 1) {
      m *= 2;
      --e;
    }
    const double r = sqrt_fix_double(static_cast<double>(m), sqrt_unit(m));
    return static_cast<T>(ldexp_w(r, e / 2));  // exact: result is a normal double
  } else {
    return static_cast<T>(sqrt_w(x));
  }
}

template <std::floating_point T> constexpr T cbrt(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0 || is_inf(x)) return x;
  const bool neg = x < 0;
  const wide r = cbrt_w(neg ? -static_cast<wide>(x) : static_cast<wide>(x));
  return narrow<T>(neg ? -r : r);
}

template <std::floating_point T> constexpr T sin(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (is_inf(x)) {
    if (std::is_constant_evaluated()) sin_argument_outside_domain();
    return qnan<T>();
  }
  const wide ax = x < 0 ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (ax < 0x1p-34L) return x;
  const reduced r = rem_pio2(x);
  wide v;
  switch (r.q) {
    case 0: v = sin_k(r.hi, r.lo); break;
    case 1: v = cos_k(r.hi, r.lo); break;
    case 2: v = -sin_k(r.hi, r.lo); break;
    default: v = -cos_k(r.hi, r.lo); break;
  }
  return narrow<T>(v);
}

template <std::floating_point T> constexpr T cos(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (is_inf(x)) {
    if (std::is_constant_evaluated()) cos_argument_outside_domain();
    return qnan<T>();
  }
  const wide ax = x < 0 ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (ax < 0x1p-34L) return T(1);
  const reduced r = rem_pio2(x);
  wide v;
  switch (r.q) {
    case 0: v = cos_k(r.hi, r.lo); break;
    case 1: v = -sin_k(r.hi, r.lo); break;
    case 2: v = -cos_k(r.hi, r.lo); break;
    default: v = sin_k(r.hi, r.lo); break;
  }
  return narrow<T>(v);
}

template <std::floating_point T> constexpr T tan(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (is_inf(x)) {
    if (std::is_constant_evaluated()) tan_argument_outside_domain();
    return qnan<T>();
  }
  const wide ax = x < 0 ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (ax < 0x1p-34L) return x;
  const reduced r = rem_pio2(x);
  const wide s = sin_k(r.hi, r.lo);
  const wide c = cos_k(r.hi, r.lo);
  return narrow<T>((r.q & 1) ? -c / s : s / c);
}

template <std::floating_point T> constexpr T atan(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  const bool neg = x < 0;
  if (is_inf(x)) return narrow<T>(neg ? -coef::pio2_hi : coef::pio2_hi);
  const wide ax = neg ? -static_cast<wide>(x) : static_cast<wide>(x);
  const wide v = atan2_core(ax, 1);
  return narrow<T>(neg ? -v : v);
}

template <std::floating_point T> constexpr T atan2(T y, T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (is_nan(y)) return y;
  const bool yneg = sign_bit(y);
  const bool xneg = sign_bit(x);
  const wide ay = yneg ? -static_cast<wide>(y) : static_cast<wide>(y);
  wide v;
  if (is_inf(y)) {
    if (is_inf(x))
      v = xneg ? 3 * coef::pio4_hi : coef::pio4_hi;
    else
      v = coef::pio2_hi;
  } else if (is_inf(x)) {
    v = xneg ? coef::pi_hi : 0;
  } else if (ay == 0) {
    v = xneg ? coef::pi_hi : 0;  // also covers x = -0
  } else {
    v = atan2_core(ay, static_cast<wide>(x));
  }
  if (v == 0) return yneg ? -T(0) : T(0);
  return narrow<T>(yneg ? -v : v);
}

template <std::floating_point T> constexpr T asin(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  if (x > 1 || x < -1) {
    if (std::is_constant_evaluated()) asin_argument_outside_domain();
    return qnan<T>();
  }
  const bool neg = x < 0;
  const wide a = neg ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (a < 0x1p-34L) return x;
  const wide c = sqrt_w((1 - a) * (1 + a));  // 1 - a exact
  const wide v = c == 0 ? coef::pio2_hi : atan2_core(a, c);
  return narrow<T>(neg ? -v : v);
}

template <std::floating_point T> constexpr T acos(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (x > 1 || x < -1) {
    if (std::is_constant_evaluated()) acos_argument_outside_domain();
    return qnan<T>();
  }
  if (x == 1) return T(0);
  if (x == -1) return narrow<T>(coef::pi_hi);
  const wide a = static_cast<wide>(x);
  const wide s = sqrt_w((1 - a) * (1 + a));
  return narrow<T>(atan2_core(s, a));
}

template <std::floating_point T> constexpr T sinh(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0 || is_inf(x)) return x;
  const bool neg = x < 0;
  const wide a = neg ? -static_cast<wide>(x) : static_cast<wide>(x);
  wide v;
  if (a < 0x1p-34L) return x;
  if (a < 23) {
    const wide em = expm1_w(a);
    v = 0.5L * (em + em / (em + 1));
  } else {
    if (a > (max_exp_v<T> + 1) * 0.69314718055994530942L) return neg ? -infinity<T>() : infinity<T>();
    const scaled s = exp_core(a, 0);
    v = ldexp_w(s.y, s.n - 1);
  }
  return narrow<T>(neg ? -v : v);
}

template <std::floating_point T> constexpr T cosh(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (is_inf(x)) return infinity<T>();
  const wide a = x < 0 ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (a < 0x1p-34L) return T(1);
  wide v;
  if (a < 23) {
    const wide e = exp_w(a);
    v = 0.5L * (e + 1 / e);
  } else {
    if (a > (max_exp_v<T> + 1) * 0.69314718055994530942L) return infinity<T>();
    const scaled s = exp_core(a, 0);
    v = ldexp_w(s.y, s.n - 1);
  }
  return narrow<T>(v);
}

template <std::floating_point T> constexpr T tanh(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  const bool neg = x < 0;
  if (is_inf(x)) return neg ? T(-1) : T(1);
  const wide a = neg ? -static_cast<wide>(x) : static_cast<wide>(x);
  if (a < 0x1p-34L) return x;
  if (a > 23) return neg ? T(-1) : T(1);
  const wide em = expm1_w(2 * a);
  const wide v = em / (em + 2);
  return narrow<T>(neg ? -v : v);
}

template <std::floating_point T> constexpr T erf(T x) noexcept
{
  using namespace detail;
  if (is_nan(x) || x == 0) return x;
  const bool neg = x < 0;
  if (is_inf(x)) return neg ? T(-1) : T(1);
  const wide a = neg ? -static_cast<wide>(x) : static_cast<wide>(x);
  wide v;
  if (a < 0x1p-40L) v = a * 1.1283791670955125738961589L;
  else if (a < 0.75L) v = erf_small(a);
  else if (a > 6.6L) v = 1;
  else v = 1 - erfc_pos(a);
  return narrow<T>(neg ? -v : v);
}

template <std::floating_point T> constexpr T erfc(T x) noexcept
{
  using namespace detail;
  if (is_nan(x)) return x;
  if (x == infinity<T>()) return T(0);
  if (x == -infinity<T>()) return T(2);
  const wide a = static_cast<wide>(x);
  wide v;
  if (a < -6.6L) v = 2;
  else if (a < -0.5L) v = 2 - erfc_pos(-a);
  else if (a < 0.5L) v = 1 - (a < 0 ? -erf_small(-a) : erf_small(a));
  else v = erfc_pos(a);
  return narrow<T>(v);
}

template <std::floating_point T> constexpr T hypot(T x, T y) noexcept
{
  using namespace detail;
  if (is_inf(x) || is_inf(y)) return infinity<T>();
  if (is_nan(x)) return x;
  if (is_nan(y)) return y;
  wide a = x < 0 ? -static_cast<wide>(x) : static_cast<wide>(x);
  wide b = y < 0 ? -static_cast<wide>(y) : static_cast<wide>(y);
  if (a < b) {
    const wide t = a;
    a = b;
    b = t;
  }
  if (b == 0) return a == 0 ? T(0) : static_cast<T>(a);
  const fr fa = frexp_w(a);
  const fr fb = frexp_w(b);
  if (fa.e - fb.e > 40) return static_cast<T>(a);
  const wide as = fa.m;
  const wide bs = ldexp_w(fb.m, fb.e - fa.e);
  const dd s = dd_add(two_prod(as, as), two_prod(bs, bs));
  wide r = sqrt_unit(s.hi * 4) * 0.5L;  // s.hi in [0.25, 2)
  const dd p = two_prod(r, r);
  r += ((s.hi - p.hi) - p.lo + s.lo) / (2 * r);
  return narrow<T>(ldexp_w(r, fa.e));
}

template <std::floating_point T> constexpr T pow(T x, T y) noexcept
{
  using namespace detail;
  if (y == 0) return T(1);
  if (x == 1) return T(1);
  if (is_nan(x)) return x;
  if (is_nan(y)) return y;
  const wide wy = static_cast<wide>(y);
  const wide ay = wy < 0 ? -wy : wy;
  // integer / odd-integer classification of y
  bool y_int = true;
  bool y_odd = false;
  if (!is_inf(y) && ay < 0x1p63L) {
    const long long iy = static_cast<long long>(ay);
    y_int = static_cast<wide>(iy) == ay;
    y_odd = y_int && (iy & 1) != 0;
  }
  const bool xneg = sign_bit(x);
  const wide wx = static_cast<wide>(x);
  const wide ax = xneg ? -wx : wx;
  if (is_inf(y)) {
    if (ax == 1) return T(1);
    const bool big = (ax > 1) == (y > 0);
    return big ? infinity<T>() : T(0);
  }
  if (ax == 0) {
    const bool neg_res = xneg && y_odd;
    if (y < 0) return neg_res ? -infinity<T>() : infinity<T>();  // pole
    return neg_res ? -T(0) : T(0);
  }
  if (is_inf(x)) {
    const bool neg_res = xneg && y_odd;
    if (y < 0) return neg_res ? -T(0) : T(0);
    return neg_res ? -infinity<T>() : infinity<T>();
  }
  if (xneg && !y_int) {
    if (std::is_constant_evaluated()) pow_argument_outside_domain();
    return qnan<T>();
  }
  const bool neg_res = xneg && y_odd;
  if (ax == 1) return neg_res ? T(-1) : T(1);
  const dd l = log_dd(ax);  // |l| >= ~2^-64 since ax != 1
  // saturate when |y log x| surely exceeds the range
  const int e_prod = frexp_w(ay).e + frexp_w(l.hi < 0 ? -l.hi : l.hi).e;
  const bool pos = (l.hi > 0) == (wy > 0);
  constexpr wide hi_t = (max_exp_v<T> + 1) * 0.69314718055994530942L;
  constexpr wide lo_t = (min_exp_v<T> - 2) * 0.69314718055994530942L;
  wide v;
  if (e_prod > 16) {
    v = pos ? infinity<wide>() : 0;
  } else {
    const dd z = dd_mul_w(l, wy);
    if (z.hi > hi_t) {
      v = infinity<wide>();
    } else if (z.hi < lo_t) {
      v = 0;
    } else {
      const scaled s = exp_core(z.hi, z.lo);
      v = ldexp_w(s.y, s.n);
    }
  }
  if (v == infinity<wide>()) return neg_res ? -infinity<T>() : infinity<T>();
  return narrow<T>(neg_res ? -v : v);
}

}  // namespace ctgrad::math::cx
