// Run-time benchmark of the parallel reductions: normal_lpdf over N = 10^6 points (the problem's usual
// definition; data y, gradient w.r.t. mu and sigma) with ctgrad::sum (serial) and
// ctgrad::sum(ctgrad::par, ...) on 1, 2 and one-per-core threads, beside the scalar hand-written
// adjoint. Every implementation is checked against the hand-written adjoint before it is
// registered. Wall-clock time (UseRealTime): the parallel ones work on several threads.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "problems.hpp"

namespace {

using bench::clobber;
using bench::consume;
using bench::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;

constexpr std::size_t n = 1000000;
constexpr double mu0 = 0.5, sigma0 = 1.3;
constexpr double half_log_2pi = 0.91893853320467274178;

// y ~ normal(0.3, 1.7): Box-Muller on a fixed-seed 64-bit LCG (as bench/runtime_dyn.cpp).
std::vector<double> make_normal() {
    std::uint64_t s = 20261125;
    auto u = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) * 0x1.0p-53;
    };
    std::vector<double> y(n);
    for (auto& v : y) {
        const double u1 = 1.0 - u(), u2 = u();
        v = 0.3 + 1.7 * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    return y;
}

// The scalar hand-written adjoint: one pass summing z and z^2, z = (y - mu) / sigma.
double hand(const double* y, double mu, double sigma, double* g) {
    const double inv = 1 / sigma;
    double sz = 0, szz = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double z = (y[i] - mu) * inv;
        sz += z;
        szz += z * z;
    }
    const double N = static_cast<double>(n);
    g[0] = sz * inv;
    g[1] = szz * inv - N * inv;
    return -0.5 * szz - N * std::log(sigma) - N * half_log_2pi;
}

void check(const std::string& name, double v, double g0, double g1, double rv, const double* rg) {
    if (!bench::close(v, rv) || !bench::close(g0, rg[0]) || !bench::close(g1, rg[1])) {
        std::fprintf(stderr, "CHECK FAILED: %s: (%.17g, %.17g, %.17g), reference (%.17g, %.17g, %.17g)\n",
                     name.c_str(), v, g0, g1, rv, rg[0], rg[1]);
        std::abort();
    }
}

const std::vector<double>& data() {
    static const std::vector<double> y = make_normal();
    return y;
}

// ctgrad's object API: leaves and expression built once, backward() per iteration; `reduce` is
// the sum to use (serial, or par with some thread count).
template <class Reduce>
void object_api(const std::string& name, Reduce reduce) {
    const std::vector<double>& y0 = data();
    double rg[2];
    const double rv = hand(y0.data(), mu0, sigma0, rg);
    const double N = static_cast<double>(n);
    auto run = [&](auto body) {
        leaf y{ctgrad::view(y0)};
        leaf mu{0.0, requires_grad};
        leaf sigma{1.0, requires_grad};
        auto f = reduce(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * log(sigma) - N * half_log_2pi;
        body([&] {
            mu.value() = opaque(mu0);
            sigma.value() = opaque(sigma0);
            clobber(y0.data());
            return f.backward();
        }, mu, sigma);
    };
    run([&](auto step, auto& mu, auto& sigma) {
        const double v = step();  // before reading the gradients
        check(name, v, mu.grad(), sigma.grad(), rv, rg);
    });
    benchmark::RegisterBenchmark(name.c_str(), [run](benchmark::State& st) {
        run([&](auto step, auto& mu, auto& sigma) {
            for (auto _ : st) {
                consume(step());
                consume(mu.grad()), consume(sigma.grad());
                mu.zero_grad(), sigma.zero_grad();
            }
        });
    })->UseRealTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string p = "normal_lpdf_1000000/";
    {
        const std::vector<double>& y0 = data();
        double g[2];
        const double v = hand(y0.data(), mu0, sigma0, g);
        check(p + "hand", v, g[0], g[1], v, g);
        benchmark::RegisterBenchmark((p + "hand").c_str(), [&y0](benchmark::State& st) {
            double gg[2];
            for (auto _ : st) {
                clobber(y0.data());
                consume(hand(y0.data(), opaque(mu0), opaque(sigma0), gg));
                consume(gg[0]), consume(gg[1]);
            }
        })->UseRealTime()->Unit(benchmark::kMillisecond);
    }
    object_api(p + "ctgrad_serial", [](auto&& e) { return ctgrad::sum(static_cast<decltype(e)&&>(e)); });
    for (unsigned t : {1u, 2u}) {
        const ctgrad::par_t policy = ctgrad::detail::par_access::with_threads(t);
        object_api(p + "ctgrad_par_threads_" + std::to_string(t),
                   [policy](auto&& e) { return ctgrad::sum(policy, static_cast<decltype(e)&&>(e)); });
    }
    object_api(p + "ctgrad_par", [](auto&& e) { return ctgrad::sum(ctgrad::par, static_cast<decltype(e)&&>(e)); });
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
