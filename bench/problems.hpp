#pragma once
// The benchmark problems (docs/benchmarks.md) shared by every benchmark binary: inputs, the primal
// (plain double) functions, the hand-written adjoints (forward pass storing what the reverse sweep
// needs, then the reverse sweep), the barriers that keep the compiler from folding or hoisting
// work out of the timing loop, and the check against the hand-written adjoint.
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace bench {

// ---- barriers ------------------------------------------------------------------------------
// An opaque copy: the compiler must assume the value changed, so nothing that depends on it can be
// computed before the timing loop. (Google Benchmark 1.7.1's DoNotOptimize is not used for
// doubles: it has produced wrong values with g++ 12.)
inline double opaque(double v) {
    asm volatile("" : "+x"(v));
    return v;
}
// Consumes a value: it must be computed.
inline void consume(double v) { asm volatile("" : : "x"(v)); }
// Memory barrier on an object: its contents may have been read and written.
template <class T>
inline void clobber(T* p) {
    asm volatile("" : : "r"(p) : "memory");
}

// Value and gradient of a scalar function of N inputs.
template <std::size_t N>
struct result {
    double v = 0;
    std::array<double, N> g{};
};

template <std::size_t N>
inline void consume(const result<N>& r) {
    consume(r.v);
    for (double g : r.g) consume(g);
}

inline bool close(double a, double b, double tol = 1e-10) {
    const double scale = std::fmax(std::fabs(b), 1e-300);
    return std::fabs(a - b) <= tol * scale || a == b;
}

// Aborts unless `got` matches the reference (value and every gradient component).
template <std::size_t N>
inline void check(const std::string& name, const result<N>& got, const result<N>& ref, bool value_only = false) {
    bool ok = close(got.v, ref.v);
    if (!value_only)
        for (std::size_t i = 0; i < N; ++i) ok = ok && close(got.g[i], ref.g[i]);
    if (!ok) {
        std::fprintf(stderr, "CHECK FAILED: %s: value %.17g (reference %.17g)\n", name.c_str(), got.v, ref.v);
        if (!value_only)
            for (std::size_t i = 0; i < N; ++i)
                std::fprintf(stderr, "  g[%zu] = %.17g (reference %.17g)\n", i, got.g[i], ref.g[i]);
        std::abort();
    }
}

// Timing loop of a scalar problem: inputs go through an opaque barrier every iteration, the value
// and the gradient are consumed.
template <std::size_t N, class Step>
inline void time_scalar(benchmark::State& st, const std::array<double, N>& inputs, Step&& step) {
    for (auto _ : st) {
        std::array<double, N> in;
        for (std::size_t i = 0; i < N; ++i) in[i] = opaque(inputs[i]);
        consume(step(in.data()));
    }
}

// ---- rosen ------------------------------------------------------------------------------------
struct rosen {
    static constexpr const char* name = "rosen";
    static constexpr std::array<double, 2> inputs{-1.2, 1.0};
    static double primal(const double* in) {
    const double x = in[0], y = in[1];
    const double a = 1 - x, b = y - x * x;
    return a * a + 100 * b * b;
}
    static result<2> adjoint(const double* in) {
    const double x = in[0], y = in[1];
    const double a = 1 - x, b = y - x * x;
    result<2> r;
    r.v = a * a + 100 * b * b;
    const double ab = 2 * a, bb = 200 * b;
    r.g[0] = -ab - 2 * x * bb;
    r.g[1] = bb;
    return r;
}
};

// ---- fastad_test1 -------------------------------------------------------------------------------
struct fastad_test1 {
    static constexpr const char* name = "fastad_test1";
    static constexpr std::array<double, 3> inputs{0.5, 1.5, -0.7};
    static double primal(const double* in) {
    const double x0 = in[0], x1 = in[1], x2 = in[2];
    const double w0 = x0 * x1 - x2 * std::sin(x0);
    const double w1 = x1 * w0 - std::cos(w0) + x0 + x1 + x2;
    return w1 + std::exp(w1 - w0);
}
    static result<3> adjoint(const double* in) {
    const double x0 = in[0], x1 = in[1], x2 = in[2];
    const double s0 = std::sin(x0), c0 = std::cos(x0);
    const double w0 = x0 * x1 - x2 * s0;
    const double sw = std::sin(w0), cw = std::cos(w0);
    const double w1 = x1 * w0 - cw + x0 + x1 + x2;
    const double e = std::exp(w1 - w0);
    result<3> r;
    r.v = w1 + e;
    const double w1b = 1 + e;
    const double w0b = -e + w1b * (x1 + sw);
    r.g[0] = w1b + w0b * (x1 - x2 * c0);
    r.g[1] = w1b * (w0 + 1) + w0b * x0;
    r.g[2] = w1b - w0b * s0;
    return r;
}
};

// ---- blackscholes -------------------------------------------------------------------------------
struct blackscholes {
    static constexpr const char* name = "blackscholes";
    static constexpr std::array<double, 5> inputs{100.0, 105.0, 1.0, 0.05, 0.2};  // S, K, T, r, sigma
    static constexpr double inv_sqrt2 = 0.70710678118654752440;
    static constexpr double inv_sqrt2pi = 0.39894228040143267794;
    static double Phi(double z) { return 0.5 * (1 + std::erf(z * inv_sqrt2)); }
    static double primal(const double* in) {
    const double S = in[0], K = in[1], T = in[2], r = in[3], sigma = in[4];
    const double ssT = sigma * std::sqrt(T);
    const double d1 = (std::log(S / K) + (r + sigma * sigma / 2) * T) / ssT;
    const double d2 = d1 - ssT;
    return S * Phi(d1) - K * std::exp(-r * T) * Phi(d2);
}
    static result<5> adjoint(const double* in) {
    const double S = in[0], K = in[1], T = in[2], r = in[3], sigma = in[4];
    const double sqT = std::sqrt(T);
    const double ssT = sigma * sqT;
    const double m = r + sigma * sigma / 2;
    const double d1 = (std::log(S / K) + m * T) / ssT;
    const double d2 = d1 - ssT;
    const double disc = std::exp(-r * T);
    const double P1 = Phi(d1), P2 = Phi(d2);
    result<5> res;
    res.v = S * P1 - K * disc * P2;
    // reverse sweep
    const double p1 = inv_sqrt2pi * std::exp(-0.5 * d1 * d1);
    const double p2 = inv_sqrt2pi * std::exp(-0.5 * d2 * d2);
    double Sb = P1, Kb = -disc * P2;
    const double discb = -K * P2;
    double d1b = S * p1;
    const double d2b = -K * disc * p2;
    d1b += d2b;
    double ssTb = -d2b - d1b * d1 / ssT;
    const double numb = d1b / ssT;
    Sb += numb / S;
    Kb -= numb / K;
    double rb = numb * T - discb * disc * T;
    double Tb = numb * m - discb * disc * r + ssTb * sigma * 0.5 / sqT;
    double sigmab = numb * sigma * T + ssTb * sqT;
    res.g = {Sb, Kb, Tb, rb, sigmab};
    return res;
}
};

// ---- poly_chain -------------------------------------------------------------------------------
struct poly_chain {
    static constexpr const char* name = "poly_chain";
    static constexpr int steps = 25;
    static constexpr std::array<double, 2> inputs{0.5, 0.5};
    static double primal(const double* in) {
    double z = in[0];
    const double y = in[1];
    for (int k = 0; k < steps; ++k) z = z * y + std::sin(z);
    return z;
}
    static result<2> adjoint(const double* in) {
    const double y = in[1];
    double z[steps + 1], dz[steps];  // z_k, and dz_{k+1}/dz_k = y + cos z_k
    z[0] = in[0];
    for (int k = 0; k < steps; ++k) {
        z[k + 1] = z[k] * y + std::sin(z[k]);
        dz[k] = y + std::cos(z[k]);
    }
    result<2> r;
    r.v = z[steps];
    double zb = 1, yb = 0;
    for (int k = steps - 1; k >= 0; --k) {
        yb += zb * z[k];
        zb *= dz[k];
    }
    r.g = {zb, yb};
    return r;
}
};

// ---- sq_chain -----------------------------------------------------------------------------------
struct sq_chain {
    static constexpr const char* name = "sq_chain";
    static constexpr int steps = 30;
    static constexpr std::array<double, 1> inputs{0.1};
    static double primal(const double* in) {
    double t = in[0];
    for (int k = 0; k < steps; ++k) t = t * t + 0.25;
    return t;
}
    static result<1> adjoint(const double* in) {
    double t[steps + 1];
    t[0] = in[0];
    for (int k = 0; k < steps; ++k) t[k + 1] = t[k] * t[k] + 0.25;
    result<1> r;
    r.v = t[steps];
    double tb = 1;
    for (int k = steps - 1; k >= 0; --k) tb *= 2 * t[k];
    r.g[0] = tb;
    return r;
}
};

// Registers `P/impl` for a scalar problem P after checking it against the hand-written adjoint.
// `make(sink)` builds the implementation once and calls sink(step), where step(const double* in)
// returns a result<N>.
template <class P, class Make>
inline void add_scalar(const std::string& impl, Make make) {
    constexpr std::size_t N = P::inputs.size();
    const std::string name = std::string(P::name) + "/" + impl;
    make([&](auto&& step) { check<N>(name, step(P::inputs.data()), P::adjoint(P::inputs.data())); });
    benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& st) {
        make([&](auto&& step) { time_scalar<N>(st, P::inputs, step); });
    });
}

// Registers the primal and the hand-written adjoint of a scalar problem.
template <class P>
inline void add_baselines() {
    constexpr std::size_t N = P::inputs.size();
    const std::string name = P::name;
    check<N>(name + "/primal", result<N>{P::primal(P::inputs.data()), {}}, P::adjoint(P::inputs.data()), true);
    benchmark::RegisterBenchmark((name + "/primal").c_str(), [](benchmark::State& st) {
        for (auto _ : st) {
            std::array<double, N> in;
            for (std::size_t i = 0; i < N; ++i) in[i] = opaque(P::inputs[i]);
            consume(P::primal(in.data()));
        }
    });
    add_scalar<P>("hand", [](auto sink) { sink([](const double* in) { return P::adjoint(in); }); });
}

}  // namespace bench
