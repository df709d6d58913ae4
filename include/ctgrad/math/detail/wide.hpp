#pragma once
/// @file
/// Building blocks of the constexpr kernels: the working precision (`wide`, the x87 80-bit long
/// double on x86-64), error-free transformations (double-wide arithmetic), exact power-of-two
/// scaling, sign/NaN queries and the domain-error markers. Everything here is usable in constant
/// evaluation on g++ 12 and clang++ 16: no builtins, no arithmetic on NaN or infinity (Clang rejects
/// NaN-producing and GCC overflow-producing operations in constant evaluation).
#include <bit>
#include <cstdint>
#include <limits>

namespace ctgrad::math::detail {

/// Working precision of every kernel. Results for float and double are computed in it and
/// rounded once at the end; long double results get the same algorithms with compensated steps.
using wide = long double;
inline constexpr int wide_digits = std::numeric_limits<wide>::digits;

// ---------------------------------------------------------------------------------------------
// Domain-error markers. They are deliberately *not* constexpr: a kernel calls the matching one
// (only in constant evaluation) when its argument lies outside the mathematical domain, so that
// e.g. `constexpr double v = ctgrad::math::log(-1.0);` fails to compile with a diagnostic that
// names `log_argument_outside_domain`. At run time the kernels return NaN instead.
inline void log_argument_outside_domain() noexcept {}
inline void log1p_argument_outside_domain() noexcept {}
inline void sqrt_argument_outside_domain() noexcept {}
inline void asin_argument_outside_domain() noexcept {}
inline void acos_argument_outside_domain() noexcept {}
inline void sin_argument_outside_domain() noexcept {}
inline void cos_argument_outside_domain() noexcept {}
inline void tan_argument_outside_domain() noexcept {}
inline void pow_argument_outside_domain() noexcept {}

template <class T> constexpr T qnan() noexcept { return std::numeric_limits<T>::quiet_NaN(); }
template <class T> constexpr T infinity() noexcept { return std::numeric_limits<T>::infinity(); }

template <class T> constexpr bool is_nan(T x) noexcept { return x != x; }
template <class T> constexpr bool is_inf(T x) noexcept
{
  return x == std::numeric_limits<T>::infinity() || x == -std::numeric_limits<T>::infinity();
}

/// Sign bit, including for -0 (NaN signs are not inspected).
template <class T> constexpr bool sign_bit(T x) noexcept
{
  if (x < 0) return true;
  if (x > 0 || x != x) return false;
  return (std::bit_cast<std::uint64_t>(static_cast<double>(x)) >> 63) != 0;  // exact for zeros
}

template <class T> constexpr T copy_sign(T mag, bool negative) noexcept
{
  return negative ? -mag : mag;
}

// ---------------------------------------------------------------------------------------------
// Error-free transformations in `wide`.
struct dd {
  wide hi;
  wide lo;
};

constexpr dd two_sum(wide a, wide b) noexcept
{
  wide s = a + b;
  wide bb = s - a;
  wide e = (a - (s - bb)) + (b - bb);
  return {s, e};
}

/// Requires |a| >= |b| (or a == 0).
constexpr dd fast_two_sum(wide a, wide b) noexcept
{
  wide s = a + b;
  return {s, b - (s - a)};
}

/// Veltkamp split into two halves of at most 32 bits each (|a| < 2^16000).
constexpr dd split(wide a) noexcept
{
  constexpr wide c = 4294967297.0L;  // 2^32 + 1
  wide t = c * a;
  wide hi = t - (t - a);
  return {hi, a - hi};
}

/// a * b = hi + lo exactly (Dekker), barring overflow/underflow.
constexpr dd two_prod(wide a, wide b) noexcept
{
  wide p = a * b;
  dd as = split(a);
  dd bs = split(b);
  wide e = ((as.hi * bs.hi - p) + as.hi * bs.lo + as.lo * bs.hi) + as.lo * bs.lo;
  return {p, e};
}

constexpr dd dd_add(dd a, dd b) noexcept
{
  dd s = two_sum(a.hi, b.hi);
  return fast_two_sum(s.hi, s.lo + (a.lo + b.lo));
}

constexpr dd dd_mul(dd a, dd b) noexcept
{
  dd p = two_prod(a.hi, b.hi);
  return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

constexpr dd dd_mul_w(dd a, wide b) noexcept
{
  dd p = two_prod(a.hi, b);
  return fast_two_sum(p.hi, p.lo + a.lo * b);
}

template <std::size_t N> constexpr wide horner(const wide (&c)[N], wide x) noexcept
{
  wide r = c[N - 1];
  for (std::size_t i = N - 1; i-- > 0;) r = r * x + c[i];
  return r;
}

// ---------------------------------------------------------------------------------------------
// Powers of two and exponent extraction in `wide` (no bit_cast of the 80-bit type).
inline constexpr wide pow2_up[14] = {0x1p1L,   0x1p2L,   0x1p4L,    0x1p8L,    0x1p16L,
                                     0x1p32L,  0x1p64L,  0x1p128L,  0x1p256L,  0x1p512L,
                                     0x1p1024L, 0x1p2048L, 0x1p4096L, 0x1p8192L};
inline constexpr wide pow2_dn[14] = {0x1p-1L,   0x1p-2L,   0x1p-4L,    0x1p-8L,    0x1p-16L,
                                     0x1p-32L,  0x1p-64L,  0x1p-128L,  0x1p-256L,  0x1p-512L,
                                     0x1p-1024L, 0x1p-2048L, 0x1p-4096L, 0x1p-8192L};

struct fr {
  wide m;  // in [0.5, 1)
  int e;   // x = m * 2^e
};

/// x > 0 finite (subnormals included).
constexpr fr frexp_w(wide x) noexcept
{
  int e = 0;
  if (x >= 1) {
    for (int i = 13; i >= 0; --i)
      if (x >= pow2_up[i]) {
        x *= pow2_dn[i];
        e += 1 << i;
      }
    return {x * 0.5L, e + 1};  // x in [1,2)
  }
  if (x < 0x1p-16000L) {
    x *= 0x1p8192L;
    e -= 8192;
  }
  for (int i = 13; i >= 0; --i)
    if (x < pow2_dn[i]) {
      x *= pow2_up[i];
      e -= 1 << i;
    }
  return {x, e};  // x in [0.5,1)
}

/// 2^n for -16382 <= n <= 16383 (every partial product is a normal number).
constexpr wide pow2(int n) noexcept
{
  wide r = 1;
  const bool neg = n < 0;
  unsigned u = neg ? static_cast<unsigned>(-n) : static_cast<unsigned>(n);
  for (int i = 0; i < 14 && u != 0; ++i, u >>= 1)
    if (u & 1u) r *= neg ? pow2_dn[i] : pow2_up[i];
  return r;
}

/// y * 2^n for finite y with one rounding; +-inf on overflow, +-0 on total underflow.
constexpr wide ldexp_w(wide y, int n) noexcept
{
  if (y == 0) return y;
  const bool neg = y < 0;
  fr f = frexp_w(neg ? -y : y);
  long e = static_cast<long>(f.e) + n;  // value = f.m * 2^e
  wide r;
  if (e > 16384) return copy_sign(infinity<wide>(), neg);
  if (e > 0) {
    r = (f.m * 2) * pow2(static_cast<int>(e - 1));
  } else if (e >= -16380) {
    r = f.m * pow2(static_cast<int>(e));
  } else if (e >= -16446) {
    r = (f.m * pow2(static_cast<int>(e + 64))) * 0x1p-64L;  // first product exact
  } else {
    r = 0;
  }
  return neg ? -r : r;
}

/// Round to nearest integer (ties away), |x| < 2^62.
constexpr long long nearest_ll(wide x) noexcept
{
  return static_cast<long long>(x < 0 ? x - 0.5L : x + 0.5L);
}

/// Rounds a wide result to T once; +-inf above T's overflow threshold (the conversion of an
/// out-of-range value is undefined, so it is never performed).
template <class T> constexpr T narrow(wide v) noexcept
{
  if constexpr (std::numeric_limits<T>::digits == wide_digits &&
                std::numeric_limits<T>::max_exponent == std::numeric_limits<wide>::max_exponent) {
    return static_cast<T>(v);
  } else {
    // Values at or above max + ulp/2 round to infinity.
    constexpr wide max_t = static_cast<wide>(std::numeric_limits<T>::max());
    constexpr wide half_ulp =
        pow2(std::numeric_limits<T>::max_exponent - std::numeric_limits<T>::digits - 1);
    constexpr wide ovf = max_t + half_ulp;
    if (v >= ovf) return infinity<T>();
    if (v <= -ovf) return -infinity<T>();
    return static_cast<T>(v);
  }
}

/// Log2 of T's overflow / underflow thresholds in `wide` terms.
template <class T> constexpr int max_exp_v = std::numeric_limits<T>::max_exponent;
template <class T>
constexpr int min_exp_v = std::numeric_limits<T>::min_exponent - std::numeric_limits<T>::digits;

}  // namespace ctgrad::math::detail
