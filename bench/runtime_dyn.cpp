// Run-time benchmarks of the run-time-length problems over ctgrad::tensor<double, dyn>:
// normal_lpdf (N = 1000, 100000; data y, gradient w.r.t. mu and sigma) and logsumexp (N = 100,
// 10000; gradient w.r.t. all x). For each: the primal, the hand-written adjoint as a plain scalar
// loop, the hand-written adjoint vectorized with libmvec (runtime_dyn_simd.cpp), ctgrad's object
// API (leaves and expression built once; per iteration backward() and zero_grad()) and ctgrad's
// functional API (value_and_grad, which copies its arguments into its own leaves on every call).
// logreg (n = 100000 rows x 8 features, a data matrix ctgrad::view<8>; gradient w.r.t. w (8) and
// b): the primal, the hand-written adjoint as one scalar loop, and ctgrad's object API.
// Every implementation is checked against the scalar hand-written adjoint before it is registered.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dyn_kernels.hpp"
#include "problems.hpp"

// ---- scalar hand-written adjoints (the reference) ----------------------------------------------
namespace bench::dyn {

double normal_lpdf_primal(const double* y, std::size_t n, double mu, double sigma) {
    const double inv = 1 / sigma;  // one division, as in the adjoints
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double z = (y[i] - mu) * inv;
        s += z * z;
    }
    const double N = static_cast<double>(n);
    return -0.5 * s - N * std::log(sigma) - N * 0.91893853320467274178;  // log(2 pi) / 2
}

double normal_lpdf_adjoint(const double* y, std::size_t n, double mu, double sigma, double* g) {
    const double inv = 1 / sigma;
    double sz = 0, szz = 0;  // sum z_i, sum z_i^2 with z_i = (y_i - mu) / sigma
    for (std::size_t i = 0; i < n; ++i) {
        const double z = (y[i] - mu) * inv;
        sz += z;
        szz += z * z;
    }
    const double N = static_cast<double>(n);
    // reverse sweep: zbar_i = -z_i; dz_i/dmu = -1/sigma, dz_i/dsigma = -z_i/sigma
    g[0] = sz * inv;
    g[1] = szz * inv - N * inv;
    return -0.5 * szz - N * std::log(sigma) - N * 0.91893853320467274178;
}

double logsumexp_primal(const double* x, std::size_t n) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += std::exp(x[i]);
    return std::log(s);
}

double logsumexp_adjoint(const double* x, std::size_t n, double* g) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (g[i] = std::exp(x[i]));  // stores e_i
    const double inv = 1 / s;
    for (std::size_t i = 0; i < n; ++i) g[i] *= inv;
    return std::log(s);
}

// logreg: f = mean_i softplus(z_i) - y_i z_i, z = X w + b, X n x 8 (row-major). One pass: the
// forward values of row i and its adjoint contributions (dz_i = sigmoid(z_i) - y_i) together.
inline double softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

double logreg_primal(const double* x, const double* y, std::size_t n, const double* w, double b) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double z = b;
        for (std::size_t k = 0; k < 8; ++k) z += x[i * 8 + k] * w[k];
        s += softplus(z) - y[i] * z;
    }
    return s / static_cast<double>(n);
}

double logreg_adjoint(const double* x, const double* y, std::size_t n, const double* w, double b, double* g) {
    double s = 0, gw[8] = {}, gb = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const double* xi = x + i * 8;
        double z = b;
        for (std::size_t k = 0; k < 8; ++k) z += xi[k] * w[k];
        s += softplus(z) - y[i] * z;
        const double dz = 1 / (1 + std::exp(-z)) - y[i];
        for (std::size_t k = 0; k < 8; ++k) gw[k] += dz * xi[k];
        gb += dz;
    }
    const double inv = 1 / static_cast<double>(n);
    for (std::size_t k = 0; k < 8; ++k) g[k] = gw[k] * inv;
    g[8] = gb * inv;
    return s * inv;
}

}  // namespace bench::dyn

namespace {

using bench::clobber;
using bench::consume;
using bench::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;
using vec = ctgrad::tensor<double, ctgrad::dyn>;
namespace kd = bench::dyn;

// Fixed pseudo-random numbers in [0, 1) (64-bit LCG, top 53 bits).
struct lcg {
    std::uint64_t s;
    double operator()() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) * 0x1.0p-53;
    }
};

// Value and gradient of one implementation, compared with the reference (rel. err <= 1e-10).
struct vg_result {
    double v = 0;
    std::vector<double> g;
};

void check(const std::string& name, const vg_result& got, const vg_result& ref) {
    bool ok = bench::close(got.v, ref.v) && got.g.size() == ref.g.size();
    std::size_t bad = got.g.size();
    for (std::size_t i = 0; ok && i < got.g.size(); ++i)
        if (!bench::close(got.g[i], ref.g[i])) ok = false, bad = i;
    if (!ok) {
        std::fprintf(stderr, "CHECK FAILED: %s: value %.17g (reference %.17g), %zu gradients (reference %zu)",
                     name.c_str(), got.v, ref.v, got.g.size(), ref.g.size());
        if (bad < got.g.size()) std::fprintf(stderr, "; g[%zu] = %.17g (reference %.17g)", bad, got.g[bad], ref.g[bad]);
        std::fprintf(stderr, "\n");
        std::abort();
    }
}

template <class G>
vg_result from_range(double v, const G& g) {
    return {v, std::vector<double>(g.begin(), g.end())};
}

// ---- normal_lpdf -------------------------------------------------------------------------------
constexpr double mu0 = 0.5, sigma0 = 1.3;
constexpr double half_log_2pi = 0.91893853320467274178;

// y ~ normal(0.3, 1.7), Box-Muller on a fixed-seed LCG.
std::vector<double> make_normal(std::size_t n) {
    lcg r{20261125};
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double u1 = 1.0 - r(), u2 = r();  // u1 in (0, 1]
        y[i] = 0.3 + 1.7 * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }
    return y;
}

// Written once for both ctgrad APIs; N is the data length.
constexpr auto normal_f = [](double N) {
    return [N](auto&& mu, auto&& sigma, auto&& y) {
        return ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * log(sigma) - N * half_log_2pi;
    };
};

// The same with the reciprocal of sigma computed once and shared (what the hand-written adjoint
// does): no division per element.
constexpr auto normal_recip_f = [](double N) {
    return [N](auto&& mu, auto&& sigma, auto&& y) {
        return ctgrad::let(1.0 / sigma, [&](auto inv) {
            return ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) * inv)) - N * log(sigma) - N * half_log_2pi;
        });
    };
};

void add_normal(std::size_t n) {
    const std::string p = "normal_lpdf_" + std::to_string(n) + "/";
    const std::vector<double> y0 = make_normal(n);
    const double N = static_cast<double>(n);
    vg_result ref{0, std::vector<double>(2)};
    ref.v = kd::normal_lpdf_adjoint(y0.data(), n, mu0, sigma0, ref.g.data());

    check(p + "primal", {kd::normal_lpdf_primal(y0.data(), n, mu0, sigma0), ref.g}, ref);
    benchmark::RegisterBenchmark((p + "primal").c_str(), [y0, n](benchmark::State& st) {
        for (auto _ : st) {
            clobber(y0.data());
            consume(kd::normal_lpdf_primal(y0.data(), n, opaque(mu0), opaque(sigma0)));
        }
    });
    // Both hand-written adjoints: same signature, registered alike.
    auto add_hand = [&](const char* impl, auto adjoint) {
        vg_result r{0, std::vector<double>(2)};
        r.v = adjoint(y0.data(), n, mu0, sigma0, r.g.data());
        check(p + impl, r, ref);
        benchmark::RegisterBenchmark((p + impl).c_str(), [y0, n, adjoint](benchmark::State& st) {
            double g[2];
            for (auto _ : st) {
                clobber(y0.data());
                consume(adjoint(y0.data(), n, opaque(mu0), opaque(sigma0), g));
                consume(g[0]), consume(g[1]);
            }
        });
    };
    add_hand("hand", kd::normal_lpdf_adjoint);
    add_hand("hand_simd", kd::normal_lpdf_adjoint_simd);

    // Object API: the data is a view (no copy); mu and sigma are set from barriered inputs.
    // `fn` is normal_f or normal_recip_f.
    auto add_object = [&](const char* impl, auto fn) {
        auto object_api = [y0, N, fn](auto body) {
            leaf y{ctgrad::view(y0)};
            leaf mu{0.0, requires_grad};
            leaf sigma{1.0, requires_grad};
            auto f = fn(N)(mu, sigma, y);
            body([&] {
                mu.value() = opaque(mu0);
                sigma.value() = opaque(sigma0);
                clobber(y0.data());
                return f.backward();
            }, mu, sigma);
        };
        object_api([&](auto step, auto& mu, auto& sigma) {
            const double v = step();
            check(p + impl, {v, {mu.grad(), sigma.grad()}}, ref);
        });
        benchmark::RegisterBenchmark((p + impl).c_str(), [object_api](benchmark::State& st) {
            object_api([&](auto step, auto& mu, auto& sigma) {
                for (auto _ : st) {
                    consume(step());
                    consume(mu.grad()), consume(sigma.grad());
                    mu.zero_grad(), sigma.zero_grad();
                }
            });
        });
    };
    add_object("ctgrad_obj", normal_f);
    add_object("ctgrad_obj_recip", normal_recip_f);  // the reciprocal of sigma shared

    // Functional API: gradient w.r.t. mu and sigma; the data goes in as a view.
    const auto vg = ctgrad::value_and_grad<0, 1>(normal_f(N));
    {
        const auto [v, g] = vg(mu0, sigma0, ctgrad::view(y0));
        check(p + "ctgrad_fn", {v, {std::get<0>(g), std::get<1>(g)}}, ref);
    }
    benchmark::RegisterBenchmark((p + "ctgrad_fn").c_str(), [y0, vg](benchmark::State& st) {
        for (auto _ : st) {
            clobber(y0.data());
            const auto r = vg(opaque(mu0), opaque(sigma0), ctgrad::view(y0));
            consume(r.first);
            consume(std::get<0>(r.second)), consume(std::get<1>(r.second));
        }
    });
}

// ---- logsumexp ---------------------------------------------------------------------------------
std::vector<double> make_lse(std::size_t n) {
    lcg r{7};
    std::vector<double> x(n);
    for (double& v : x) v = -1.0 + 2.0 * r();
    return x;
}

constexpr auto lse_f = [](auto&& x) { return log(ctgrad::sum(exp(x))); };

void add_logsumexp(std::size_t n) {
    const std::string p = "logsumexp_" + std::to_string(n) + "/";
    const std::vector<double> x0 = make_lse(n);
    vg_result ref{0, std::vector<double>(n)};
    ref.v = kd::logsumexp_adjoint(x0.data(), n, ref.g.data());

    check(p + "primal", {kd::logsumexp_primal(x0.data(), n), ref.g}, ref);
    benchmark::RegisterBenchmark((p + "primal").c_str(), [x0, n](benchmark::State& st) {
        std::vector<double> x = x0;
        for (auto _ : st) {
            clobber(x.data());
            consume(kd::logsumexp_primal(x.data(), n));
        }
    });
    auto add_hand = [&](const char* impl, auto adjoint) {
        vg_result r{0, std::vector<double>(n)};
        r.v = adjoint(x0.data(), n, r.g.data());
        check(p + impl, r, ref);
        benchmark::RegisterBenchmark((p + impl).c_str(), [x0, n, adjoint](benchmark::State& st) {
            std::vector<double> x = x0, g(n);
            for (auto _ : st) {
                clobber(x.data());
                consume(adjoint(x.data(), n, g.data()));
                clobber(g.data());
            }
        });
    };
    add_hand("hand", kd::logsumexp_adjoint);
    add_hand("hand_simd", kd::logsumexp_adjoint_simd);

    // Object API: x lives in the leaf (clobbered every iteration), the expression is built once.
    {
        leaf x{vec{x0}, requires_grad};
        auto f = lse_f(x);
        const double v = f.backward();
        check(p + "ctgrad_obj", from_range(v, x.grad()), ref);
    }
    benchmark::RegisterBenchmark((p + "ctgrad_obj").c_str(), [x0](benchmark::State& st) {
        leaf x{vec{x0}, requires_grad};
        auto f = lse_f(x);
        for (auto _ : st) {
            clobber(x.value().data());
            consume(f.backward());
            clobber(x.grad().data());
            x.zero_grad();
        }
    });

    const auto vg = ctgrad::value_and_grad(lse_f);
    {
        const auto [v, g] = vg(vec{x0});
        check(p + "ctgrad_fn", from_range(v, g), ref);
    }
    benchmark::RegisterBenchmark((p + "ctgrad_fn").c_str(), [x0, vg](benchmark::State& st) {
        const vec x{x0};
        for (auto _ : st) {
            clobber(x.data());
            const auto r = vg(x);
            consume(r.first);
            clobber(r.second.data());
        }
    });
}

// ---- logreg ------------------------------------------------------------------------------------
// X ~ uniform(-1, 1), y = 1 where x . (1, -1, 0.5, -0.5, 0.25, 0, 0, 0) > 0, one label in ten
// flipped; w = 0.1, b = 0.
struct logreg_data {
    std::vector<double> x, y;
};
logreg_data make_logreg(std::size_t n) {
    lcg r{424242};
    const double rule[8] = {1.0, -1.0, 0.5, -0.5, 0.25, 0.0, 0.0, 0.0};
    logreg_data d{std::vector<double>(n * 8), std::vector<double>(n)};
    for (std::size_t i = 0; i < n; ++i) {
        double z = 0;
        for (std::size_t k = 0; k < 8; ++k) z += rule[k] * (d.x[i * 8 + k] = -1.0 + 2.0 * r());
        d.y[i] = ((z > 0) != (r() < 0.1)) ? 1.0 : 0.0;
    }
    return d;
}

constexpr auto logreg_f = [](auto&& x, auto&& y, auto&& w, auto&& b) {
    return ctgrad::let(ctgrad::matmul(x, w) + b,
                       [&y](auto z) { return ctgrad::mean(ctgrad::softplus(z) - y * z); });
};

void add_logreg(std::size_t n) {
    const std::string p = "logreg_" + std::to_string(n) + "/";
    const logreg_data d = make_logreg(n);
    const double w0[8] = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, b0 = 0.0;
    vg_result ref{0, std::vector<double>(9)};
    ref.v = kd::logreg_adjoint(d.x.data(), d.y.data(), n, w0, b0, ref.g.data());

    check(p + "primal", {kd::logreg_primal(d.x.data(), d.y.data(), n, w0, b0), ref.g}, ref);
    benchmark::RegisterBenchmark((p + "primal").c_str(), [d, n, w0, b0](benchmark::State& st) {
        double w[8];
        for (auto _ : st) {
            for (std::size_t k = 0; k < 8; ++k) w[k] = opaque(w0[k]);
            clobber(d.x.data());
            consume(kd::logreg_primal(d.x.data(), d.y.data(), n, w, opaque(b0)));
        }
    });
    benchmark::RegisterBenchmark((p + "hand").c_str(), [d, n, w0, b0](benchmark::State& st) {
        double w[8], g[9];
        for (auto _ : st) {
            for (std::size_t k = 0; k < 8; ++k) w[k] = opaque(w0[k]);
            clobber(d.x.data());
            consume(kd::logreg_adjoint(d.x.data(), d.y.data(), n, w, opaque(b0), g));
            clobber(g);
        }
    });

    // Object API: X and y are views (no copy); w and b are set from barriered inputs.
    auto object_api = [d, w0, b0](auto body) {
        leaf x{ctgrad::view<8>(d.x)};
        leaf y{ctgrad::view(d.y)};
        leaf w{ctgrad::tensor<double, 8>{}, requires_grad};
        leaf b{0.0, requires_grad};
        auto f = logreg_f(x, y, w, b);
        body([&] {
            for (std::size_t k = 0; k < 8; ++k) w.value()[k] = opaque(w0[k]);
            b.value() = opaque(b0);
            clobber(d.x.data());
            return f.backward();
        }, w, b);
    };
    object_api([&](auto step, auto& w, auto& b) {
        const double v = step();
        std::vector<double> g(w.grad().begin(), w.grad().end());
        g.push_back(b.grad());
        check(p + "ctgrad_obj", {v, g}, ref);
    });
    benchmark::RegisterBenchmark((p + "ctgrad_obj").c_str(), [object_api](benchmark::State& st) {
        object_api([&](auto step, auto& w, auto& b) {
            for (auto _ : st) {
                consume(step());
                clobber(w.grad().data()), consume(b.grad());
                w.zero_grad(), b.zero_grad();
            }
        });
    });
}

}  // namespace

int main(int argc, char** argv) {
    add_normal(1000);
    add_normal(100000);
    add_logsumexp(100);
    add_logsumexp(10000);
    add_logreg(100000);
    std::fprintf(stderr, "runtime_dyn: every implementation matches the hand-written adjoint (rel. err <= 1e-10)\n");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
