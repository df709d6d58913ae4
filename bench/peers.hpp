#pragma once
// Peer AD libraries on the scalar problems: ADOL-C (trace once, then zos_forward + fos_reverse per
// gradient, which is what its gradient() driver does) and Sacado::Rad::ADvar (operator
// overloading with a tape rebuilt on every evaluation, then Gradcomp()). Enabled by the build
// when the packages are found (CTGRAD_BENCH_ADOLC, CTGRAD_BENCH_SACADO).
#include <cmath>

#include "problems.hpp"

#if CTGRAD_BENCH_SACADO
#include <Sacado_trad.hpp>
namespace Sacado::Rad {
// Sacado::Rad has no erf: supply it through the ADf1 hook (value and derivative).
inline ADvari<double>& erf(const IndepADvar<double>& x) {
    const double v = x.val();
    return ADf1(std::erf(v), 1.12837916709551257390 * std::exp(-v * v), x);
}
}  // namespace Sacado::Rad
#endif

#if CTGRAD_BENCH_ADOLC
#include <adolc/adolc.h>
#endif

namespace bench::peers {

// The problems written once for an operator-overloading type T (intermediates held in T).
struct generic {
    template <class T>
    static T rosen(const T* x) {
        T a = 1.0 - x[0];
        T b = x[1] - x[0] * x[0];
        return a * a + 100.0 * b * b;
    }
    template <class T>
    static T fastad_test1(const T* x) {
        using std::cos, std::exp, std::sin;
        T w0 = x[0] * x[1] - x[2] * sin(x[0]);
        T w1 = x[1] * w0 - cos(w0) + x[0] + x[1] + x[2];
        T d = w1 - w0;
        return w1 + exp(d);
    }
    template <class T>
    static T Phi(const T& z) {
        using std::erf;
        T s = z * blackscholes::inv_sqrt2;
        T e = erf(s);
        return 0.5 * (1.0 + e);
    }
    template <class T>
    static T blackscholes(const T* x) {
        using std::exp, std::log, std::sqrt;
        const T &S = x[0], &K = x[1], &T_ = x[2], &r = x[3], &sigma = x[4];
        T sq = sqrt(T_);
        T ssT = sigma * sq;
        T q = S / K;
        T lq = log(q);
        T d1 = (lq + (r + sigma * sigma * 0.5) * T_) / ssT;
        T d2 = d1 - ssT;
        T mrT = -r * T_;
        T disc = exp(mrT);
        return S * Phi(d1) - K * disc * Phi(d2);
    }
    template <class T>
    static T poly_chain(const T* x) {
        using std::sin;
        T z = x[0];
        for (int k = 0; k < bench::poly_chain::steps; ++k) z = z * x[1] + sin(z);
        return z;
    }
    template <class T>
    static T sq_chain(const T* x) {
        T t = x[0];
        for (int k = 0; k < bench::sq_chain::steps; ++k) t = t * t + 0.25;
        return t;
    }
};

#define CTGRAD_BENCH_PEER_FN(P) \
    [](const auto* x) { return ::bench::peers::generic::P(x); }

#if CTGRAD_BENCH_SACADO
// Sacado::Rad: a fresh tape per evaluation (the library's normal use), Gradcomp() propagates
// adjoints and recycles the tape's memory.
template <class P, class F>
void add_sacado(F f) {
    add_scalar<P>("sacado_rad", [f](auto sink) {
        sink([f](const double* in) {
            constexpr std::size_t N = P::inputs.size();
            using AD = Sacado::Rad::ADvar<double>;
            AD x[N];
            for (std::size_t i = 0; i < N; ++i) x[i] = in[i];
            AD y = f(static_cast<const AD*>(x));
            AD::Gradcomp();
            result<N> r;
            r.v = y.val();
            for (std::size_t i = 0; i < N; ++i) r.g[i] = x[i].adj();
            return r;
        });
    });
}
#endif

#if CTGRAD_BENCH_ADOLC
// ADOL-C: one trace per problem (its own tag), then per gradient zos_forward (keep = 1) and
// fos_reverse with weight 1.
template <class P, class F>
void add_adolc(short tag, F f) {
    constexpr std::size_t N = P::inputs.size();
    {
        trace_on(tag);
        adouble x[N];
        for (std::size_t i = 0; i < N; ++i) x[i] <<= P::inputs[i];
        adouble y = f(static_cast<const adouble*>(x));
        double yv;
        y >>= yv;
        trace_off();
    }
    add_scalar<P>("adolc", [tag](auto sink) {
        sink([tag](const double* in) {
            constexpr std::size_t N = P::inputs.size();
            result<N> r;
            double u = 1.0;
            zos_forward(tag, 1, static_cast<int>(N), 1, in, &r.v);
            fos_reverse(tag, 1, static_cast<int>(N), &u, r.g.data());
            return r;
        });
    });
}
#endif

}  // namespace bench::peers
