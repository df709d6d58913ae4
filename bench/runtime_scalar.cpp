// Run-time benchmarks of the scalar problems: rosen, fastad_test1, blackscholes,
// poly_chain, sq_chain. For each: the primal (plain double), the hand-written adjoint, ctgrad's
// object API (expression built once, outside the timing loop) and ctgrad's functional API
// (ctgrad::value_and_grad<0, 1, ...>, which builds the leaves and the expression on every call).
// Every implementation is checked against the hand-written adjoint before it is registered.
#include <ctgrad/ctgrad.hpp>

#include "peers.hpp"
#include "problems.hpp"

namespace {

using ctgrad::leaf;
using ctgrad::requires_grad;
using bench::result;

// Reads the gradients of the leaves into r.g and zeroes them (grads accumulate across backward()).
template <std::size_t N, class... L>
inline void take_grads(result<N>& r, L&... l) {
    std::size_t i = 0;
    ((r.g[i++] = l.grad(), l.zero_grad()), ...);
}

// Converts value_and_grad's pair{value, tuple{grads...}} (or pair{value, grad}) to result<N>.
template <std::size_t N, class P>
inline result<N> from_pair(const P& p) {
    result<N> r;
    r.v = p.first;
    if constexpr (N == 1) {
        r.g[0] = p.second;
    } else {
        std::apply([&](auto... g) { r.g = {g...}; }, p.second);
    }
    return r;
}

// ---- the functions, written once for ctgrad (object and functional API share them) ---------------
constexpr auto rosen_f = [](auto&& x, auto&& y) { return ctgrad::pow<2>(1.0 - x) + 100.0 * ctgrad::pow<2>(y - x * x); };

constexpr auto fastad_f = [](auto&& x0, auto&& x1, auto&& x2) {
    return ctgrad::let(x0 * x1 - x2 * sin(x0), [&](auto w0) {
        return ctgrad::let(x1 * w0 - cos(w0) + x0 + x1 + x2, [&](auto w1) { return w1 + exp(w1 - w0); });
    });
};

constexpr auto bs_f = [](auto&& S, auto&& K, auto&& T, auto&& r, auto&& sigma) {
    return ctgrad::let(sigma * sqrt(T), [&](auto ssT) {
        return ctgrad::let((log(S / K) + (r + sigma * sigma * 0.5) * T) / ssT, [&](auto d1) {
            auto Phi = [](auto z) { return 0.5 * (1.0 + erf(z * bench::blackscholes::inv_sqrt2)); };
            return S * Phi(d1) - K * exp(-r * T) * Phi(d1 - ssT);
        });
    });
};

constexpr auto poly_f = [](auto&& x, auto&& y) {
    return ctgrad::iterate<bench::poly_chain::steps>(
        x, [&](auto z) { return ctgrad::let(z, [&](auto t) { return t * y + sin(t); }); });
};

constexpr auto sq_f = [](auto&& x) {
    return ctgrad::iterate<bench::sq_chain::steps>(x, [](auto s) { return ctgrad::let(s, [](auto t) { return t * t + 0.25; }); });
};

// The chains with the state handle used directly in the step (no let), for comparison.
constexpr auto poly_nolet_f = [](auto&& x, auto&& y) {
    return ctgrad::iterate<bench::poly_chain::steps>(x, [&](auto z) { return z * y + sin(z); });
};
constexpr auto sq_nolet_f = [](auto&& x) {
    return ctgrad::iterate<bench::sq_chain::steps>(x, [](auto s) { return s * s + 0.25; });
};

// sq_chain written step by step with named shared intermediates, as PyTorch code reads:
// t1 = share(x * x + 0.25); t2 = share(t1 * t1 + 0.25); ... (each built on the stack, then `f(t30)`).
template <int K, class T, class F>
void with_shared_steps(T& t, F&& f) {
    if constexpr (K == 0) {
        f(t);
    } else {
        auto next = ctgrad::share(t * t + 0.25);
        with_shared_steps<K - 1>(next, f);
    }
}
inline auto sq_share_api() {
    return [](auto sink) {
        leaf<double, true> x{0.0, requires_grad};
        with_shared_steps<bench::sq_chain::steps>(x, [&](auto& last) {
            sink([&](const double* in) {
                x.value() = in[0];
                result<1> r;
                r.v = last.backward();
                take_grads<1>(r, x);
                return r;
            });
        });
    };
}

// The object API for a function of N scalars: leaves and expression built once; each step writes
// the leaves' values, runs backward(), reads and zeroes the gradients.
template <class F, std::size_t... I>
auto object_api(F f, std::index_sequence<I...>) {
    return [f](auto sink) {
        std::array<leaf<double, true>, sizeof...(I)> x{leaf<double, true>{(void(I), 0.0), requires_grad}...};
        // f receives the leaves as lvalues (auto&&), so the expression holds them by pointer.
        auto e = f(x[I]...);
        sink([&](const double* in) {
            ((x[I].value() = in[I]), ...);
            result<sizeof...(I)> r;
            r.v = e.backward();
            take_grads<sizeof...(I)>(r, x[I]...);
            return r;
        });
    };
}

template <class F, std::size_t... I>
auto functional_api(F f, std::index_sequence<I...>) {
    return [f](auto sink) {
        auto vg = ctgrad::value_and_grad<I...>(f);
        sink([vg](const double* in) { return from_pair<sizeof...(I)>(vg(in[I]...)); });
    };
}

template <class P, class F>
void add_problem(F f) {
    constexpr auto idx = std::make_index_sequence<P::inputs.size()>{};
    bench::add_baselines<P>();
    bench::add_scalar<P>("ctgrad_obj", object_api(f, idx));
    bench::add_scalar<P>("ctgrad_fn", functional_api(f, idx));
}

// The peers, registered after ctgrad's implementations of the same problem.
template <class P, class G>
void add_peers([[maybe_unused]] short tag, [[maybe_unused]] G g) {
#if CTGRAD_BENCH_ADOLC
    bench::peers::add_adolc<P>(tag, g);
#endif
#if CTGRAD_BENCH_SACADO
    bench::peers::add_sacado<P>(g);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    add_problem<bench::rosen>(rosen_f);
    add_peers<bench::rosen>(1, CTGRAD_BENCH_PEER_FN(rosen));
    add_problem<bench::fastad_test1>(fastad_f);
    add_peers<bench::fastad_test1>(2, CTGRAD_BENCH_PEER_FN(fastad_test1));
    add_problem<bench::blackscholes>(bs_f);
    add_peers<bench::blackscholes>(3, CTGRAD_BENCH_PEER_FN(blackscholes));
    add_problem<bench::poly_chain>(poly_f);
    bench::add_scalar<bench::poly_chain>("ctgrad_obj_nolet", object_api(poly_nolet_f, std::make_index_sequence<2>{}));
    add_peers<bench::poly_chain>(4, CTGRAD_BENCH_PEER_FN(poly_chain));
    add_problem<bench::sq_chain>(sq_f);
    bench::add_scalar<bench::sq_chain>("ctgrad_obj_nolet", object_api(sq_nolet_f, std::make_index_sequence<1>{}));
    bench::add_scalar<bench::sq_chain>("ctgrad_share", sq_share_api());
    add_peers<bench::sq_chain>(5, CTGRAD_BENCH_PEER_FN(sq_chain));
    std::fprintf(stderr, "runtime_scalar: every implementation matches the hand-written adjoint (rel. err <= 1e-10)\n");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
