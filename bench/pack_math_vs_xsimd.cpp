// ctgrad's pack kernels (values/pack_math.hpp) against xsimd's (libxsimd-dev) on the same
// arrays: time per element (interleaved repetitions, medians) and the largest distance in ulp
// from glibc over the same arguments (CPU time, medians of 31 interleaved repetitions). Built when xsimd is found (bench/CMakeLists.txt); the
// numbers are in docs/design.md ("Pack kernels").
#include <ctgrad/values/pack_math.hpp>
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

namespace {

using P = ctgrad::detail::pack<double>;
using B = xsimd::batch<double>;

std::int64_t ordered(double x) {
    std::int64_t i;
    std::memcpy(&i, &x, sizeof i);
    return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
}
double ulp(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : 1e300;
    const std::int64_t x = ordered(a), y = ordered(b);
    return std::abs(static_cast<double>(x - y));
}

template <class F>
void run_ctgrad(F f, const std::vector<double>& x, std::vector<double>& y) {
    for (std::size_t i = 0; i + P::width <= x.size(); i += P::width) {
        P p;
        std::memcpy(&p.v, &x[i], sizeof p.v);
        const P r = f(p);
        std::memcpy(&y[i], &r.v, sizeof r.v);
    }
}
template <class F>
void run_xsimd(F f, const std::vector<double>& x, std::vector<double>& y) {
    for (std::size_t i = 0; i + B::size <= x.size(); i += B::size) f(B::load_unaligned(&x[i])).store_unaligned(&y[i]);
}
// CPU time of the thread (the machine is shared: wall time counts other processes' turns)
inline double cpu_now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
template <class F>
double seconds(F f) {
    const double t0 = cpu_now();
    f();
    return cpu_now() - t0;
}

template <class FC, class FX, class R>
void compare(const char* name, double lo, double hi, FC fc, FX fx, R ref) {
    const std::size_t n = 4096;
    std::vector<double> x(n), yc(n), yx(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = lo + (hi - lo) * static_cast<double>(i) / n;
    // accuracy over a denser sweep of the same range
    double uc = 0, ux = 0;
    {
        const std::size_t m = 1 << 20;
        std::vector<double> a(m), bc(m), bx(m);
        for (std::size_t i = 0; i < m; ++i) a[i] = lo + (hi - lo) * static_cast<double>(i) / m;
        run_ctgrad(fc, a, bc);
        run_xsimd(fx, a, bx);
        for (std::size_t i = 0; i < m; ++i) uc = std::max(uc, ulp(bc[i], ref(a[i]))), ux = std::max(ux, ulp(bx[i], ref(a[i])));
    }
    std::vector<double> tc, tx, ts;
    const int reps = 200;
    for (int r = 0; r < 31; ++r) {  // interleaved
        tc.push_back(seconds([&] { for (int k = 0; k < reps; ++k) { run_ctgrad(fc, x, yc); asm volatile("" ::"r"(yc.data()) : "memory"); } }));
        tx.push_back(seconds([&] { for (int k = 0; k < reps; ++k) { run_xsimd(fx, x, yx); asm volatile("" ::"r"(yx.data()) : "memory"); } }));
        ts.push_back(seconds([&] { for (int k = 0; k < reps; ++k) { for (std::size_t i = 0; i < n; ++i) yx[i] = ref(x[i]); asm volatile("" ::"r"(yx.data()) : "memory"); } }));
    }
    auto med = [&](std::vector<double>& v) { std::sort(v.begin(), v.end()); return v[v.size() / 2] / (reps * double(n)) * 1e9; };
    const double c = med(tc), xs = med(tx), s = med(ts);
    std::printf("| %-8s | [%g, %g] | %.2f | %.2f | %.2f | %g | %g |\n", name, lo, hi, c, xs, s, uc, ux);
}

}  // namespace

int main() {
    namespace d = ctgrad::detail;
    std::printf("pack width %zu doubles (xsimd batch %zu)\n\n", P::width, B::size);
    std::printf("| function | range | ctgrad ns/elem | xsimd ns/elem | glibc scalar ns/elem | ctgrad max ulp | xsimd max ulp |\n");
    std::printf("|---|---|---|---|---|---|---|\n");
    compare("exp", -700, 700, [](P p) { return d::exp_of(p); }, [](B b) { return xsimd::exp(b); }, [](double v) { return std::exp(v); });
    compare("log", 1e-300, 1e300, [](P p) { return d::log_of(p); }, [](B b) { return xsimd::log(b); }, [](double v) { return std::log(v); });
    compare("log", 0.5, 2, [](P p) { return d::log_of(p); }, [](B b) { return xsimd::log(b); }, [](double v) { return std::log(v); });
    compare("log1p", -0.9, 10, [](P p) { return d::log1p_of(p); }, [](B b) { return xsimd::log1p(b); }, [](double v) { return std::log1p(v); });
    compare("expm1", -5, 5, [](P p) { return d::expm1_of(p); }, [](B b) { return xsimd::expm1(b); }, [](double v) { return std::expm1(v); });
    compare("tanh", -5, 5, [](P p) { return d::tanh_of(p); }, [](B b) { return xsimd::tanh(b); }, [](double v) { return std::tanh(v); });
    compare("sin", -10, 10, [](P p) { return d::sin_of(p); }, [](B b) { return xsimd::sin(b); }, [](double v) { return std::sin(v); });
    compare("cos", -10, 10, [](P p) { return d::cos_of(p); }, [](B b) { return xsimd::cos(b); }, [](double v) { return std::cos(v); });
    compare("erf", -3, 3, [](P p) { return d::erf_of(p); }, [](B b) { return xsimd::erf(b); }, [](double v) { return std::erf(v); });
    compare("erf", -0.8, 0.8, [](P p) { return d::erf_of(p); }, [](B b) { return xsimd::erf(b); }, [](double v) { return std::erf(v); });
}
