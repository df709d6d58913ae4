// The pack kernels of values/pack_math.hpp against the C library: every kernel is swept over
// special values (zeros, subnormals, infinities, NaN, the largest doubles), its domain edges, a
// logarithmic sweep of all binades, a dense sweep of its main range, pseudo-random arguments and
// (sin, cos) the doubles nearest multiples of pi/2; each result must be within 2 ulp of std::f
// (sigmoid and softplus: the scalar rule of ops/elementary.hpp with std::exp and std::log1p), a
// zero with std's sign, NaN where std gives NaN. Prints the largest distance per kernel (the
// table of docs/math.md). Compiled at the baseline and, where the compiler allows, with AVX2 and
// AVX-512 (tests/CMakeLists.txt; skipped on a CPU without them).
#include <ctgrad/values/pack_math.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

namespace {

using ctgrad::detail::pack;
using P = pack<double>;
constexpr std::size_t W = P::width;

// The pack width follows the target.
#if defined(__AVX512F__)
static_assert(W == 8);
#elif defined(__AVX__)
static_assert(W == 4);
#else
static_assert(W == 2);
#endif

std::int64_t ordered(double x) {
    std::int64_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
}
// Distance in ulp between a result and the reference; huge for a NaN mismatch or a zero of the
// wrong sign.
double ulp_distance(double got, double want) {
    if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : 1e300;
    if (got == 0 && want == 0) return std::signbit(got) == std::signbit(want) ? 0 : 1e300;
    const std::int64_t a = ordered(got), b = ordered(want);
    return static_cast<double>(a > b ? static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b)
                                     : static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a));
}

struct lcg {
    std::uint64_t s;
    std::uint64_t next() { return s = s * 6364136223846793005ULL + 1442695040888963407ULL; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

std::vector<double> arguments(double lo, double hi, std::vector<double> edges) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::vector<double> a = {0.0,
                             -0.0,
                             std::numeric_limits<double>::denorm_min(),
                             -std::numeric_limits<double>::denorm_min(),
                             0x1.23456789abcdep-1030,
                             -0x1.23456789abcdep-1030,
                             std::numeric_limits<double>::min(),
                             -std::numeric_limits<double>::min(),
                             std::numeric_limits<double>::max(),
                             -std::numeric_limits<double>::max(),
                             1e300,
                             -1e300,
                             inf,
                             -inf,
                             std::numeric_limits<double>::quiet_NaN(),
                             -std::numeric_limits<double>::quiet_NaN(),
                             1.0,
                             -1.0,
                             0.5,
                             -0.5,
                             2.0,
                             -2.0};
    for (double e : edges)
        for (double d : {e, std::nextafter(e, inf), std::nextafter(e, -inf)}) a.push_back(d);
    // every binade, both signs, a few mantissas
    for (int e = -1074; e <= 1023; ++e)
        for (double m : {1.0, 1.1, 1.37, 1.5, 1.9999})
            a.push_back(std::ldexp(m, e)), a.push_back(-std::ldexp(m, e));
    // dense and pseudo-random over the main range
    const int n = 200000;
    for (int i = 0; i <= n; ++i) a.push_back(lo + (hi - lo) * i / n);
    lcg r{12345};
    for (int i = 0; i < n; ++i) a.push_back(r.uniform(lo, hi));
    // random bit patterns (any double)
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t b = r.next();
        double d;
        std::memcpy(&d, &b, sizeof d);
        a.push_back(d);
    }
    return a;
}

int failures = 0;

template <class F, class R>
void sweep(const char* name, F f, R ref, const std::vector<double>& args) {
    double worst = 0, at = 0;
    std::size_t bad = 0;
    for (std::size_t i = 0; i < args.size(); i += W) {
        P x(0.0);
        for (std::size_t l = 0; l < W; ++l) x.v[l] = args[(i + l) % args.size()];
        const P y = f(x);
        for (std::size_t l = 0; l < W; ++l) {
            const double d = ulp_distance(y.v[l], ref(x.v[l]));
            if (d > worst) worst = d, at = x.v[l];
            if (d > 2) {
                if (bad++ < 5)
                    std::printf("  %s(%a) = %a, std: %a (%g ulp)\n", name, x.v[l], y.v[l], ref(x.v[l]), d);
            }
        }
    }
    std::printf("%-9s %zu arguments, %zu lanes: max %g ulp (at %a)%s\n", name, args.size(), W, worst, at,
                bad ? "  FAILED" : "");
    failures += bad != 0;
}

}  // namespace

int main() {
    namespace d = ctgrad::detail;
    const double pi = 3.141592653589793;
    sweep("exp", [](P x) { return d::exp_of(x); }, [](double v) { return std::exp(v); },
          arguments(-745.2, 709.9, {-708.0, 709.0, 709.782712893384, -745.1332191019412, -708.39641853226408, 0.3465735902799726}));
    sweep("expm1", [](P x) { return d::expm1_of(x); }, [](double v) { return std::expm1(v); },
          arguments(-45, 709.9, {-40.0, -37.5, 709.0, 709.782712893384, 0x1p-54, -0x1p-54, 0.3465735902799726, 1.0397}));
    sweep("expm1", [](P x) { return d::expm1_of(x); }, [](double v) { return std::expm1(v); },
          arguments(-2, 2, {}));
    sweep("log", [](P x) { return d::log_of(x); }, [](double v) { return std::log(v); },
          arguments(0, 1e6, {1.0, 1.4142135623730951, 0.7071067811865476, 0x1p-1022}));
    sweep("log", [](P x) { return d::log_of(x); }, [](double v) { return std::log(v); },
          arguments(0.5, 2, {}));
    sweep("log1p", [](P x) { return d::log1p_of(x); }, [](double v) { return std::log1p(v); },
          arguments(-1, 10, {-1.0, -0.5, 0x1p-54, -0x1p-54, 0x1p1000, 0.41421356237309503}));
    sweep("log1p", [](P x) { return d::log1p_of(x); }, [](double v) { return std::log1p(v); },
          arguments(-1e-3, 1e-3, {}));
    sweep("tanh", [](P x) { return d::tanh_of(x); }, [](double v) { return std::tanh(v); },
          arguments(-25, 25, {22.0, -22.0, 1.0, -1.0, 0x1p-54, -0x1p-54}));
    sweep("sigmoid", [](P x) { return d::sigmoid_of(x); },
          [](double v) { return v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v)); },
          arguments(-750, 50, {-708.0, -709.0, -745.2, 36.7}));
    sweep("softplus", [](P x) { return d::softplus_of(x); },
          [](double v) { return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v)); },
          arguments(-750, 50, {-708.0, -709.0, -745.2, 36.7}));
    sweep("erf", [](P x) { return d::erf_of(x); }, [](double v) { return std::erf(v); },
          arguments(-7, 7, {0.84375, -0.84375, 6.0, -6.0, 5.9215871957945}));
    // sin, cos: also the doubles nearest k pi/2 (their reduced argument is tiny)
    std::vector<double> trig = arguments(-40000, 40000, {0x1p15, -0x1p15, pi / 4, pi / 2, pi});
    for (int k = 1; k <= 21000; ++k) {
        const double x = k * (pi / 2);
        for (double v : {x, std::nextafter(x, 0.0), std::nextafter(x, 1e9)}) trig.push_back(v), trig.push_back(-v);
    }
    std::vector<double> small = arguments(-4, 4, {});
    sweep("sin", [](P x) { return d::sin_of(x); }, [](double v) { return std::sin(v); }, trig);
    sweep("sin", [](P x) { return d::sin_of(x); }, [](double v) { return std::sin(v); }, small);
    sweep("cos", [](P x) { return d::cos_of(x); }, [](double v) { return std::cos(v); }, trig);
    sweep("cos", [](P x) { return d::cos_of(x); }, [](double v) { return std::cos(v); }, small);
    std::printf("%d kernels over 2 ulp\n", failures);
    return failures == 0 ? 0 : 1;
}
