// Sweeps of the constexpr kernels ctgrad::math::cx::f against the C library.
//
// Reference: the long double (x87, 64-bit significand) functions of the C library, rounded to the
// tested type only through the error measure (error = |got - ref| / ulp_T(ref), computed in long
// double), so for float and double the reference error (about 2^-63 relative) is ~1/1000 ulp.
// For long double the reference is the same library, so the bound there is looser (docs/math.md).
// Set CTGRAD_PRINT_ULP=1 in the environment to print the measured maxima (docs/math.md table).
#include <catch2/catch.hpp>

#include <ctgrad/math/kernels.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace {

namespace cx = ctgrad::math::cx;
using ld = long double;

constexpr int points = 100000;

struct rng {
  std::uint64_t s;
  std::uint64_t next()
  {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  ld unit() { return static_cast<ld>(next() >> 11) * 0x1p-53L; }  // [0,1)
  ld uniform(ld a, ld b) { return a + (b - a) * unit(); }
  ld logmag(ld a, ld b)  // log-uniform in [a,b], a > 0
  {
    return std::exp(std::log(a) + (std::log(b) - std::log(a)) * unit());
  }
  bool coin() { return (next() & 1u) != 0; }
};

/// A sample in T from a long double: extra random low bits for long double.
template <class T> T to_t(ld v, rng& g)
{
  if constexpr (std::is_same_v<T, ld>) {
    return v * (1 + static_cast<ld>(static_cast<std::int64_t>(g.next() >> 53) - 1024) * 0x1p-63L);
  } else {
    (void)g;
    return static_cast<T>(v);
  }
}

template <class T> ld ulp_of(ld ref)
{
  ld a = std::fabs(ref);
  if (a < static_cast<ld>(std::numeric_limits<T>::min()))
    return static_cast<ld>(std::numeric_limits<T>::denorm_min());
  int e = 0;
  std::frexp(a, &e);
  return std::ldexp(1.0L, e - std::numeric_limits<T>::digits);
}

template <class T> ld overflow_threshold()
{
  return static_cast<ld>(std::numeric_limits<T>::max()) +
         std::ldexp(1.0L, std::numeric_limits<T>::max_exponent - std::numeric_limits<T>::digits - 1);
}

/// Error of `got` in ulps of T against the reference value `ref`.
template <class T> ld ulp_error(T got, ld ref)
{
  if (std::isnan(ref)) return std::isnan(got) ? 0 : 1e9L;
  if (std::isnan(got)) return 1e9L;
  const bool ref_inf = std::isinf(ref) || std::fabs(ref) >= overflow_threshold<T>();
  if (ref_inf || std::isinf(got)) {
    if (ref_inf && std::isinf(got) && (ref > 0) == (got > 0)) return 0;
    if (!ref_inf) return 1e9L;
    // reference just at the threshold: measure against max()
    return std::fabs(static_cast<ld>(got) - ref) / ulp_of<T>(ref);
  }
  return std::fabs(static_cast<ld>(got) - ref) / ulp_of<T>(ref);
}

template <class T> const char* type_name()
{
  if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else return "long double";
}

template <class T> ld bound()
{
  if constexpr (std::is_same_v<T, ld>) return 5.0L;  // against a reference that has its own error
  else return 1.0L;
}

bool print_ulp() { return std::getenv("CTGRAD_PRINT_ULP") != nullptr; }

struct tally {
  ld max_err = 0;
  ld worst_x = 0, worst_y = 0;
  int count = 0;
};

template <class T> void report(const char* fn, const tally& t)
{
  if (print_ulp())
    std::printf("ULP %-6s %-11s max %.4Lf ulp  (%d points, worst at x=%.21Lg y=%.21Lg)\n", fn,
                type_name<T>(), t.max_err, t.count, t.worst_x, t.worst_y);
  INFO(fn << " " << type_name<T>() << " max ulp " << static_cast<double>(t.max_err) << " at x="
          << static_cast<double>(t.worst_x) << " y=" << static_cast<double>(t.worst_y));
  CHECK(t.count >= points);
  CHECK(t.max_err < bound<T>());
}

/// A sampler returns a long double in the domain (rounded to T by the caller).
using sampler = std::function<ld(rng&)>;

template <class T, class F, class R>
tally sweep1(std::vector<sampler> const& gens, F f, R ref, std::uint64_t seed)
{
  rng g{seed};
  tally t;
  for (int i = 0; i < points; ++i) {
    const T x = to_t<T>(gens[static_cast<std::size_t>(i) % gens.size()](g), g);
    const ld e = ulp_error<T>(f(x), ref(static_cast<ld>(x)));
    ++t.count;
    if (e > t.max_err) {
      t.max_err = e;
      t.worst_x = x;
    }
  }
  return t;
}

template <class T, class F, class R>
tally sweep2(std::vector<std::function<void(rng&, ld&, ld&)>> const& gens, F f, R ref, std::uint64_t seed)
{
  rng g{seed};
  tally t;
  for (int i = 0; i < points; ++i) {
    ld a = 0, b = 0;
    gens[static_cast<std::size_t>(i) % gens.size()](g, a, b);
    const T x = to_t<T>(a, g);
    const T y = to_t<T>(b, g);
    const ld e = ulp_error<T>(f(x, y), ref(static_cast<ld>(x), static_cast<ld>(y)));
    ++t.count;
    if (e > t.max_err) {
      t.max_err = e;
      t.worst_x = x;
      t.worst_y = y;
    }
  }
  return t;
}

// Range helpers in terms of T.
template <class T> ld tmax() { return static_cast<ld>(std::numeric_limits<T>::max()); }
template <class T> ld tden() { return static_cast<ld>(std::numeric_limits<T>::denorm_min()); }
template <class T> ld ln_max() { return std::log(tmax<T>()); }     // exp overflow
template <class T> ld ln_den() { return std::log(tden<T>()); }     // exp underflow
sampler uni(ld a, ld b) { return [=](rng& g) { return g.uniform(a, b); }; }
sampler mag(ld a, ld b) { return [=](rng& g) { return g.logmag(a, b); }; }
sampler smag(ld a, ld b) { return [=](rng& g) { ld v = g.logmag(a, b); return g.coin() ? -v : v; }; }
sampler near(ld c, ld a, ld b)  // c +- log-uniform offset
{
  return [=](rng& g) { ld v = g.logmag(a, b); return g.coin() ? c - v : c + v; };
}

template <class T> void run_unary(const char* name, std::vector<sampler> gens,
                                  std::function<T(T)> f, std::function<ld(ld)> ref, std::uint64_t seed)
{
  const tally t = sweep1<T>(gens, f, ref, seed);
  report<T>(name, t);
}

template <class T> void all_unary()
{
  const ld big = std::min<ld>(tmax<T>(), 1e300L);
  const ld tiny = tden<T>();
  run_unary<T>("exp", {uni(ln_den<T>() - 1, ln_max<T>() + 1), smag(1e-30L, -ln_den<T>()), uni(ln_max<T>() - 1, ln_max<T>() + 0.1L), uni(ln_den<T>() - 1, std::log(static_cast<ld>(std::numeric_limits<T>::min())) + 1), uni(-1, 1)},
               [](T x) { return cx::exp(x); }, [](ld x) { return std::exp(x); }, 1);
  run_unary<T>("expm1", {uni(-50, 50), smag(1e-300L, ln_max<T>() + 1), uni(-1, 1), smag(1e-10L, 1)},
               [](T x) { return cx::expm1(x); }, [](ld x) { return std::expm1(x); }, 2);
  run_unary<T>("log", {mag(tiny, tmax<T>()), uni(0.5L, 2), near(1, 1e-19L, 0.3L), mag(tiny, static_cast<ld>(std::numeric_limits<T>::min()))},
               [](T x) { return cx::log(x); }, [](ld x) { return std::log(x); }, 3);
  run_unary<T>("log1p", {mag(1e-300L, tmax<T>()), [](rng& g) { return -g.logmag(1e-300L, 1 - 1e-15L); }, uni(-0.999L, 1), smag(1e-20L, 0.5L)},
               [](T x) { return cx::log1p(x); }, [](ld x) { return std::log1p(x); }, 4);
  run_unary<T>("sqrt", {mag(tiny, tmax<T>()), uni(0, 4), mag(tiny, 1e-300L)},
               [](T x) { return cx::sqrt(x); }, [](ld x) { return std::sqrt(x); }, 5);
  run_unary<T>("cbrt", {smag(tiny, tmax<T>()), uni(-8, 8)},
               [](T x) { return cx::cbrt(x); }, [](ld x) { return std::cbrt(x); }, 6);
  const std::vector<sampler> trig = {uni(-10, 10), smag(1e-30L, 1e6L), smag(1e6L, big),
                                     [](rng& g) {
                                       ld k = std::floor(g.uniform(-1e5L, 1e5L));
                                       return k * 1.5707963267948966192313216916397514L * (1 + g.uniform(-1e-12L, 1e-12L));
                                     },
                                     uni(-1e6L, 1e6L)};
  run_unary<T>("sin", trig, [](T x) { return cx::sin(x); }, [](ld x) { return std::sin(x); }, 7);
  run_unary<T>("cos", trig, [](T x) { return cx::cos(x); }, [](ld x) { return std::cos(x); }, 8);
  run_unary<T>("tan", trig, [](T x) { return cx::tan(x); }, [](ld x) { return std::tan(x); }, 9);
  const std::vector<sampler> unit = {uni(-1, 1), smag(1e-300L, 1), near(1, 1e-19L, 0.1L), near(-1, 1e-19L, 0.1L)};
  auto clip = [](std::vector<sampler> v) {
    for (auto& s : v) s = [s](rng& g) { ld x = s(g); return x > 1 ? 2 - x : (x < -1 ? -2 - x : x); };
    return v;
  };
  run_unary<T>("asin", clip(unit), [](T x) { return cx::asin(x); }, [](ld x) { return std::asin(x); }, 10);
  run_unary<T>("acos", clip(unit), [](T x) { return cx::acos(x); }, [](ld x) { return std::acos(x); }, 11);
  run_unary<T>("atan", {smag(1e-300L, big), uni(-4, 4), smag(1e-3L, 1e3L)},
               [](T x) { return cx::atan(x); }, [](ld x) { return std::atan(x); }, 12);
  const std::vector<sampler> hyp = {uni(-30, 30), smag(1e-300L, ln_max<T>() + 1), uni(ln_max<T>() - 1, ln_max<T>() + 1), uni(-2, 2)};
  run_unary<T>("sinh", hyp, [](T x) { return cx::sinh(x); }, [](ld x) { return std::sinh(x); }, 13);
  run_unary<T>("cosh", hyp, [](T x) { return cx::cosh(x); }, [](ld x) { return std::cosh(x); }, 14);
  run_unary<T>("tanh", {uni(-5, 5), smag(1e-300L, 30), uni(-1, 1)},
               [](T x) { return cx::tanh(x); }, [](ld x) { return std::tanh(x); }, 15);
  run_unary<T>("erf", {uni(-6, 6), smag(1e-300L, 10), uni(-1, 1)},
               [](T x) { return cx::erf(x); }, [](ld x) { return std::erf(x); }, 16);
  const ld erfc_end = std::sqrt(-ln_den<T>()) + 0.5L;  // erfc underflows to 0 near here
  run_unary<T>("erfc", {uni(-6, erfc_end), smag(1e-300L, erfc_end), uni(erfc_end - 2, erfc_end), uni(-1, 1)},
               [](T x) { return cx::erfc(x); }, [](ld x) { return std::erfc(x); }, 17);
  run_unary<T>("abs", {smag(tiny, tmax<T>())}, [](T x) { return cx::abs(x); }, [](ld x) { return std::fabs(x); }, 18);
}

template <class T> void all_binary()
{
  using gen2 = std::function<void(rng&, ld&, ld&)>;
  const ld big = std::min<ld>(tmax<T>(), 1e300L);
  const ld tiny = tden<T>();
  {
    std::vector<gen2> g = {
        [=](rng& r, ld& a, ld& b) { a = r.logmag(tiny, big); b = r.logmag(tiny, big); if (r.coin()) a = -a; if (r.coin()) b = -b; },
        [](rng& r, ld& a, ld& b) { a = r.uniform(-2, 2); b = r.uniform(-2, 2); },
        [](rng& r, ld& a, ld& b) { a = r.uniform(-1, 1); b = r.logmag(1e-3L, 1e3L); if (r.coin()) b = -b; }};
    const tally t = sweep2<T>(g, [](T y, T x) { return cx::atan2(y, x); }, [](ld y, ld x) { return std::atan2(y, x); }, 21);
    report<T>("atan2", t);
  }
  {
    std::vector<gen2> g = {
        [=](rng& r, ld& a, ld& b) { a = r.logmag(tiny, tmax<T>()); b = r.logmag(tiny, tmax<T>()); if (r.coin()) a = -a; },
        [=](rng& r, ld& a, ld& b) { a = r.logmag(tiny, tmax<T>()); b = a * r.uniform(0.01L, 1); },
        [](rng& r, ld& a, ld& b) { a = r.uniform(-3, 3); b = r.uniform(-3, 3); }};
    const tally t = sweep2<T>(g, [](T x, T y) { return cx::hypot(x, y); }, [](ld x, ld y) { return std::hypot(x, y); }, 22);
    report<T>("hypot", t);
  }
  {
    const ld lo_t = ln_den<T>() - 1, hi_t = ln_max<T>() + 1;
    std::vector<gen2> g = {
        [=](rng& r, ld& a, ld& b) {
          a = r.logmag(tiny, tmax<T>());
          const ld la = std::log(static_cast<ld>(static_cast<T>(a)));
          b = la == 0 ? 1 : r.uniform(lo_t, hi_t) / la;
        },
        [](rng& r, ld& a, ld& b) { a = r.uniform(0, 2); b = r.uniform(-50, 50); },
        [](rng& r, ld& a, ld& b) { a = -r.logmag(1e-3L, 1e3L); b = std::floor(r.uniform(-60, 60)); },
        [](rng& r, ld& a, ld& b) { a = 1 + r.uniform(-1e-6L, 1e-6L); b = r.logmag(1, 1e9L); if (r.coin()) b = -b; }};
    const tally t = sweep2<T>(g, [](T x, T y) { return cx::pow(x, y); }, [](ld x, ld y) { return std::pow(x, y); }, 23);
    report<T>("pow", t);
  }
}

template <class T> void special_values()
{
  const T inf = std::numeric_limits<T>::infinity();
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T vals[] = {T(0), -T(0), inf, -inf, nan, std::numeric_limits<T>::denorm_min(),
                    std::numeric_limits<T>::min(), std::numeric_limits<T>::max(), -std::numeric_limits<T>::max(),
                    T(1), T(-1), T(0.5), T(-0.5), T(2), T(-2), T(1e-30), T(30)};
  auto same = [](T got, T want) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want) || want == 0) return got == want && std::signbit(got) == std::signbit(want);
    return ulp_error<T>(got, static_cast<ld>(want)) < bound<T>() + 1;  // std:: itself may be 1 ulp off
  };
#define CTGRAD_CHECK_SPECIAL(f)                                              \
  for (T x : vals) {                                                         \
    INFO(#f << "(" << static_cast<double>(x) << ") " << type_name<T>());     \
    CHECK(same(cx::f(x), std::f(x)));                                        \
  }
  CTGRAD_CHECK_SPECIAL(exp) CTGRAD_CHECK_SPECIAL(expm1) CTGRAD_CHECK_SPECIAL(log)
  CTGRAD_CHECK_SPECIAL(log1p) CTGRAD_CHECK_SPECIAL(sqrt) CTGRAD_CHECK_SPECIAL(cbrt)
  CTGRAD_CHECK_SPECIAL(sin) CTGRAD_CHECK_SPECIAL(cos) CTGRAD_CHECK_SPECIAL(tan)
  CTGRAD_CHECK_SPECIAL(asin) CTGRAD_CHECK_SPECIAL(acos) CTGRAD_CHECK_SPECIAL(atan)
  CTGRAD_CHECK_SPECIAL(sinh) CTGRAD_CHECK_SPECIAL(cosh) CTGRAD_CHECK_SPECIAL(tanh)
  CTGRAD_CHECK_SPECIAL(erf) CTGRAD_CHECK_SPECIAL(erfc) CTGRAD_CHECK_SPECIAL(abs)
#undef CTGRAD_CHECK_SPECIAL
#define CTGRAD_CHECK_SPECIAL2(f)                                                                  \
  for (T x : vals)                                                                                \
    for (T y : vals) {                                                                            \
      INFO(#f << "(" << static_cast<double>(x) << ", " << static_cast<double>(y) << ") " << type_name<T>()); \
      CHECK(same(cx::f(x, y), std::f(x, y)));                                                     \
    }
  CTGRAD_CHECK_SPECIAL2(atan2) CTGRAD_CHECK_SPECIAL2(hypot) CTGRAD_CHECK_SPECIAL2(pow)
#undef CTGRAD_CHECK_SPECIAL2
}

}  // namespace

TEMPLATE_TEST_CASE("math kernels: one-argument sweeps within the ulp bound", "[math][kernels]",
                   float, double, long double)
{
  all_unary<TestType>();
}

TEMPLATE_TEST_CASE("math kernels: two-argument sweeps within the ulp bound", "[math][kernels]",
                   float, double, long double)
{
  all_binary<TestType>();
}

TEMPLATE_TEST_CASE("math kernels: IEEE special values match the C library", "[math][kernels]",
                   float, double, long double)
{
  special_values<TestType>();
}

TEST_CASE("math kernels: sqrt is correctly rounded for double", "[math][kernels]")
{
  // exact check: r = cx::sqrt(x) is correctly rounded iff r and its neighbours bracket sqrt(x)
  // as decided by the exact long double square of the midpoints (53-bit r: r^2 needs 106 bits, so
  // compare via the C library's correctly rounded std::sqrt instead).
  rng g{99};
  int bad = 0;
  for (int i = 0; i < points; ++i) {
    const double x = static_cast<double>(i % 2 ? g.logmag(4.9e-324L, 1.7e308L) : g.uniform(1, 4));
    if (cx::sqrt(x) != std::sqrt(x)) ++bad;
  }
  CHECK(bad == 0);
}
