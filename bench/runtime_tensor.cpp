// Run-time benchmarks of the fixed-shape tensor problems: mlp (h = tanh(W1 x + b1),
// W1 16x8; f = (w2 . h - t)^2; gradient w.r.t. W1, b1, w2) and logsumexp with N = 16
// (f = log(sum(exp(x)))). For each: the primal, the hand-written adjoint, ctgrad's object API
// (expression built once; parameters live in the leaves) and ctgrad's functional API.
// Every implementation is checked against the hand-written adjoint before it is registered.
#include <ctgrad/ctgrad.hpp>

#include <cstdint>

#include "problems.hpp"

namespace {

using bench::clobber;
using bench::consume;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

// Fixed pseudo-random numbers in (lo, hi) (64-bit LCG, top 53 bits).
struct lcg {
    std::uint64_t s;
    double operator()(double lo, double hi) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return lo + (hi - lo) * static_cast<double>(s >> 11) * 0x1.0p-53;
    }
};

// Gradient of a problem with P parameters, flattened, and the value.
template <std::size_t P>
struct flat_result {
    double v = 0;
    std::array<double, P> g{};
};

template <std::size_t P>
void check_flat(const std::string& name, const flat_result<P>& got, const flat_result<P>& ref) {
    bool ok = bench::close(got.v, ref.v);
    std::size_t bad = P;
    for (std::size_t i = 0; i < P && ok; ++i)
        if (!bench::close(got.g[i], ref.g[i])) ok = false, bad = i;
    if (!ok) {
        std::fprintf(stderr, "CHECK FAILED: %s: value %.17g (reference %.17g)", name.c_str(), got.v, ref.v);
        if (bad < P) std::fprintf(stderr, "; g[%zu] = %.17g (reference %.17g)", bad, got.g[bad], ref.g[bad]);
        std::fprintf(stderr, "\n");
        std::abort();
    }
}

// ---- mlp ---------------------------------------------------------------------------------------
constexpr std::size_t H = 16, D = 8, NP = H * D + H + H;
using mat = tensor<double, H, D>;
using vecH = tensor<double, H>;
using vecD = tensor<double, D>;

struct mlp_data {
    mat W1;
    vecH b1, w2;
    vecD x;
    double t;
};

mlp_data make_mlp() {
    lcg r{20261125};
    mlp_data d{};
    for (double& v : d.W1) v = r(-0.5, 0.5);
    for (double& v : d.b1) v = r(-0.5, 0.5);
    for (double& v : d.w2) v = r(-0.5, 0.5);
    for (double& v : d.x) v = r(-1.0, 1.0);
    d.t = 0.3;
    return d;
}

double mlp_primal(const mlp_data& d) {
    double s = 0;
    for (std::size_t i = 0; i < H; ++i) {
        double z = d.b1[i];
        for (std::size_t j = 0; j < D; ++j) z += d.W1(i, j) * d.x[j];
        s += d.w2[i] * std::tanh(z);
    }
    const double e = s - d.t;
    return e * e;
}

// Hand-written adjoint; gradients written (not accumulated) in g = [W1 (row-major), b1, w2].
double mlp_adjoint(const mlp_data& d, double* g) {
    double h[H];
    double s = 0;
    for (std::size_t i = 0; i < H; ++i) {
        double z = d.b1[i];
        for (std::size_t j = 0; j < D; ++j) z += d.W1(i, j) * d.x[j];
        h[i] = std::tanh(z);
        s += d.w2[i] * h[i];
    }
    const double e = s - d.t;
    const double eb = 2 * e;
    double* gW1 = g;
    double* gb1 = g + H * D;
    double* gw2 = gb1 + H;
    for (std::size_t i = 0; i < H; ++i) {
        gw2[i] = eb * h[i];
        const double zb = eb * d.w2[i] * (1 - h[i] * h[i]);
        gb1[i] = zb;
        for (std::size_t j = 0; j < D; ++j) gW1[i * D + j] = zb * d.x[j];
    }
    return e * e;
}

flat_result<NP> mlp_reference(const mlp_data& d) {
    flat_result<NP> r;
    r.v = mlp_adjoint(d, r.g.data());
    return r;
}

template <class A, class B, class C>
flat_result<NP> flatten(double v, const A& gW1, const B& gb1, const C& gw2) {
    flat_result<NP> r;
    r.v = v;
    std::size_t k = 0;
    for (double g : gW1) r.g[k++] = g;
    for (double g : gb1) r.g[k++] = g;
    for (double g : gw2) r.g[k++] = g;
    return r;
}

constexpr auto mlp_f = [](auto&& W1, auto&& b1, auto&& w2, auto&& x, auto&& t) {
    return ctgrad::pow<2>(ctgrad::dot(w2, tanh(ctgrad::matmul(W1, x) + b1)) - t);
};

void add_mlp() {
    const mlp_data d0 = make_mlp();
    const auto ref = mlp_reference(d0);
    check_flat("mlp/primal", flat_result<NP>{mlp_primal(d0), ref.g}, ref);
    benchmark::RegisterBenchmark("mlp/primal", [d0](benchmark::State& st) {
        mlp_data d = d0;
        for (auto _ : st) {
            clobber(&d);
            consume(mlp_primal(d));
        }
    });
    benchmark::RegisterBenchmark("mlp/hand", [d0](benchmark::State& st) {
        mlp_data d = d0;
        std::array<double, NP> g;
        for (auto _ : st) {
            clobber(&d);
            consume(mlp_adjoint(d, g.data()));
            clobber(&g);
        }
    });

    // Object API: the parameters live in the leaves; the expression is built once.
    auto object_api = [d0](auto sink) {
        leaf W1{d0.W1, requires_grad};
        leaf b1{d0.b1, requires_grad};
        leaf w2{d0.w2, requires_grad};
        leaf x{d0.x};
        leaf t{d0.t};
        auto f = mlp_f(W1, b1, w2, x, t);
        sink([&] {
            clobber(&W1.value()), clobber(&b1.value()), clobber(&w2.value()), clobber(&x.value()), clobber(&t.value());
            const double v = f.backward();
            return v;
        }, [&] { return flatten(0.0, W1.grad(), b1.grad(), w2.grad()); },
             [&] {
                 clobber(&W1.grad()), clobber(&b1.grad()), clobber(&w2.grad());
                 W1.zero_grad(), b1.zero_grad(), w2.zero_grad();
             });
    };
    object_api([&](auto step, auto grads, auto zero) {
        const double v = step();
        auto r = grads();
        r.v = v;
        zero();
        check_flat("mlp/ctgrad_obj", r, ref);
    });
    benchmark::RegisterBenchmark("mlp/ctgrad_obj", [object_api](benchmark::State& st) {
        object_api([&](auto step, auto, auto zero) {
            for (auto _ : st) {
                consume(step());
                zero();
            }
        });
    });

    // Functional API: value_and_grad copies the arguments into its own leaves on every call.
    const auto vg = ctgrad::value_and_grad<0, 1, 2>(mlp_f);
    {
        const auto [v, g] = vg(d0.W1, d0.b1, d0.w2, d0.x, d0.t);
        check_flat("mlp/ctgrad_fn", flatten(v, std::get<0>(g), std::get<1>(g), std::get<2>(g)), ref);
    }
    benchmark::RegisterBenchmark("mlp/ctgrad_fn", [d0, vg](benchmark::State& st) {
        mlp_data d = d0;
        for (auto _ : st) {
            clobber(&d);
            auto r = vg(d.W1, d.b1, d.w2, d.x, d.t);
            consume(r.first);
            clobber(&r.second);
        }
    });
}

// ---- logsumexp, N = 16 -------------------------------------------------------------------------
constexpr std::size_t NL = 16;
using vecL = tensor<double, NL>;

vecL make_lse() {
    lcg r{7};
    vecL x{};
    for (double& v : x) v = r(-1.0, 1.0);
    return x;
}

double lse_primal(const vecL& x) {
    double s = 0;
    for (double v : x) s += std::exp(v);
    return std::log(s);
}

double lse_adjoint(const vecL& x, double* g) {
    double s = 0;
    for (std::size_t i = 0; i < NL; ++i) s += (g[i] = std::exp(x[i]));  // stores e_i
    const double inv = 1 / s;
    for (std::size_t i = 0; i < NL; ++i) g[i] *= inv;
    return std::log(s);
}

constexpr auto lse_f = [](auto&& x) { return log(ctgrad::sum(exp(x))); };

void add_logsumexp() {
    const vecL x0 = make_lse();
    flat_result<NL> ref;
    ref.v = lse_adjoint(x0, ref.g.data());
    check_flat("logsumexp16/primal", flat_result<NL>{lse_primal(x0), ref.g}, ref);
    benchmark::RegisterBenchmark("logsumexp16/primal", [x0](benchmark::State& st) {
        vecL x = x0;
        for (auto _ : st) {
            clobber(&x);
            consume(lse_primal(x));
        }
    });
    benchmark::RegisterBenchmark("logsumexp16/hand", [x0](benchmark::State& st) {
        vecL x = x0;
        std::array<double, NL> g;
        for (auto _ : st) {
            clobber(&x);
            consume(lse_adjoint(x, g.data()));
            clobber(&g);
        }
    });
    {
        leaf x{x0, requires_grad};
        auto f = lse_f(x);
        flat_result<NL> r;
        r.v = f.backward();
        for (std::size_t i = 0; i < NL; ++i) r.g[i] = x.grad()[i];
        check_flat("logsumexp16/ctgrad_obj", r, ref);
    }
    benchmark::RegisterBenchmark("logsumexp16/ctgrad_obj", [x0](benchmark::State& st) {
        leaf x{x0, requires_grad};
        auto f = lse_f(x);
        for (auto _ : st) {
            clobber(&x.value());
            consume(f.backward());
            clobber(&x.grad());
            x.zero_grad();
        }
    });
    const auto vg = ctgrad::value_and_grad(lse_f);
    {
        const auto [v, g] = vg(x0);
        flat_result<NL> r;
        r.v = v;
        for (std::size_t i = 0; i < NL; ++i) r.g[i] = g[i];
        check_flat("logsumexp16/ctgrad_fn", r, ref);
    }
    benchmark::RegisterBenchmark("logsumexp16/ctgrad_fn", [x0, vg](benchmark::State& st) {
        vecL x = x0;
        for (auto _ : st) {
            clobber(&x);
            auto r = vg(x);
            consume(r.first);
            clobber(&r.second);
        }
    });
}

}  // namespace

int main(int argc, char** argv) {
    add_mlp();
    add_logsumexp();
    std::fprintf(stderr, "runtime_tensor: every implementation matches the hand-written adjoint (rel. err <= 1e-10)\n");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
