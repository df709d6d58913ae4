// Run-time derivatives of every elementary function against central finite differences of the
// long double C library functions, and the chain, product and linearity laws checked by one
// reusable checker over every function.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <string>
#include <tuple>
#include <utility>

namespace {

struct unary_case {
    const char* name;
    long double (*ref)(long double);  // reference in long double
    double lo, hi;                    // sampled domain
};

// The ctgrad side: name -> expression builder, kept in the same order as `cases`.
const auto builders = std::make_tuple(
    [](auto& x) { return ctgrad::exp(x); }, [](auto& x) { return ctgrad::log(x); },
    [](auto& x) { return ctgrad::log1p(x); }, [](auto& x) { return ctgrad::expm1(x); },
    [](auto& x) { return ctgrad::sqrt(x); }, [](auto& x) { return ctgrad::cbrt(x); },
    [](auto& x) { return ctgrad::sin(x); }, [](auto& x) { return ctgrad::cos(x); },
    [](auto& x) { return ctgrad::tan(x); }, [](auto& x) { return ctgrad::asin(x); },
    [](auto& x) { return ctgrad::acos(x); }, [](auto& x) { return ctgrad::atan(x); },
    [](auto& x) { return ctgrad::sinh(x); }, [](auto& x) { return ctgrad::cosh(x); },
    [](auto& x) { return ctgrad::tanh(x); }, [](auto& x) { return ctgrad::erf(x); },
    [](auto& x) { return ctgrad::erfc(x); }, [](auto& x) { return ctgrad::sigmoid(x); },
    [](auto& x) { return ctgrad::softplus(x); }, [](auto& x) { return ctgrad::relu(x); },
    [](auto& x) { return ctgrad::abs(x); });

long double sigmoid_ref(long double x) { return 1.0L / (1.0L + std::exp(-x)); }
long double softplus_ref(long double x) { return std::log1p(std::exp(x)); }
long double relu_ref(long double x) { return x > 0 ? x : 0.0L; }

const unary_case cases[] = {
    {"exp", [](long double x) { return std::exp(x); }, -5, 5},
    {"log", [](long double x) { return std::log(x); }, 0.1, 10},
    {"log1p", [](long double x) { return std::log1p(x); }, -0.9, 10},
    {"expm1", [](long double x) { return std::expm1(x); }, -5, 5},
    {"sqrt", [](long double x) { return std::sqrt(x); }, 0.01, 10},
    {"cbrt", [](long double x) { return std::cbrt(x); }, 0.1, 10},
    {"sin", [](long double x) { return std::sin(x); }, -6, 6},
    {"cos", [](long double x) { return std::cos(x); }, -6, 6},
    {"tan", [](long double x) { return std::tan(x); }, -1.4, 1.4},
    {"asin", [](long double x) { return std::asin(x); }, -0.95, 0.95},
    {"acos", [](long double x) { return std::acos(x); }, -0.95, 0.95},
    {"atan", [](long double x) { return std::atan(x); }, -5, 5},
    {"sinh", [](long double x) { return std::sinh(x); }, -4, 4},
    {"cosh", [](long double x) { return std::cosh(x); }, -4, 4},
    {"tanh", [](long double x) { return std::tanh(x); }, -4, 4},
    {"erf", [](long double x) { return std::erf(x); }, -3, 3},
    {"erfc", [](long double x) { return std::erfc(x); }, -3, 3},
    {"sigmoid", sigmoid_ref, -8, 8},
    {"softplus", softplus_ref, -8, 8},
    {"relu", relu_ref, 0.1, 5},  // away from the kink
    {"abs", [](long double x) { return std::fabs(x); }, 0.1, 5},
};

long double central_difference(long double (*f)(long double), long double x) {
    const long double h = 1e-6L * (std::fabs(x) > 1 ? std::fabs(x) : 1.0L);
    return (f(x + h) - f(x - h)) / (2 * h);
}

template <std::size_t I>
void check_against_finite_differences() {
    const unary_case& c = cases[I];
    INFO("function " << c.name);
    for (int k = 0; k <= 40; ++k) {
        const double x0 = c.lo + (c.hi - c.lo) * k / 40.0;
        ctgrad::leaf x{x0, ctgrad::requires_grad};
        auto y = std::get<I>(builders)(x);
        const double v = y.backward();
        INFO("at x = " << x0);
        CHECK(v == Approx(static_cast<double>(c.ref(x0))).epsilon(1e-14).margin(1e-300));
        const double fd = static_cast<double>(central_difference(c.ref, x0));
        CHECK(x.grad() == Approx(fd).epsilon(1e-7).margin(1e-9));
    }
}

// Laws, for a pair of functions f, g at x0:
//   chain rule:  (f o g)'(x) = f'(g(x)) g'(x)
//   product:     (f g)' = f' g + f g'
//   linearity:   (a f + b g)' = a f' + b g'
template <class F, class G>
void check_laws(F f, G g, double x0, const char* fname, const char* gname) {
    INFO("f = " << fname << ", g = " << gname << ", x = " << x0);
    auto derivative = [](auto h, double at) {
        ctgrad::leaf t{at, ctgrad::requires_grad};
        auto e = h(t);
        const double v = e.backward();
        return std::pair{v, t.grad()};
    };
    const auto [gv, gd] = derivative(g, x0);
    const auto [fv, fd] = derivative(f, x0);
    {
        ctgrad::leaf x{x0, ctgrad::requires_grad};
        auto inner = g(x);
        auto composed = f(inner);
        composed.backward();
        const double fdg = derivative(f, gv).second;
        CHECK(x.grad() == Approx(fdg * gd).epsilon(1e-12).margin(1e-300));
    }
    {
        ctgrad::leaf x{x0, ctgrad::requires_grad};
        auto p = f(x) * g(x);
        p.backward();
        CHECK(x.grad() == Approx(fd * gv + fv * gd).epsilon(1e-12).margin(1e-14));
    }
    {
        ctgrad::leaf x{x0, ctgrad::requires_grad};
        auto l = 2.5 * f(x) - 0.5 * g(x);
        l.backward();
        CHECK(x.grad() == Approx(2.5 * fd - 0.5 * gd).epsilon(1e-12).margin(1e-14));
    }
}

template <class G>
void check_laws_for_every_function(const G& g) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_laws(std::get<I>(builders), g.second, 0.3, cases[I].name, g.first), ...);
    }(std::make_index_sequence<std::size(cases)>{});
}

}  // namespace

TEST_CASE("every elementary derivative matches central differences", "[math]") {
    static_assert(std::tuple_size_v<std::remove_const_t<decltype(builders)>> == std::size(cases));
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (check_against_finite_differences<I>(), ...);
    }(std::make_index_sequence<std::size(cases)>{});
}

TEST_CASE("chain rule, product rule and linearity hold for every pair of functions", "[math][laws]") {
    // x0 = 0.3 and g's values lie in every function's domain when g is one of these inner
    // functions (all map 0.3 into (0, 1)).
    const auto inner = std::make_tuple(std::pair{"sin", [](auto& x) { return ctgrad::sin(x); }},
                                       std::pair{"sigmoid", [](auto& x) { return ctgrad::sigmoid(x); }},
                                       std::pair{"sqrt", [](auto& x) { return ctgrad::sqrt(x); }});
    std::apply([](const auto&... g) { (check_laws_for_every_function(g), ...); }, inner);
}

TEST_CASE("binary functions against central differences", "[math]") {
    const double a0 = 0.7, b0 = -1.3;
    auto fd2 = [](auto f, long double a, long double b, int which) {
        const long double h = 1e-6L;
        return static_cast<double>(which == 0 ? (f(a + h, b) - f(a - h, b)) / (2 * h)
                                              : (f(a, b + h) - f(a, b - h)) / (2 * h));
    };
    auto check = [&](auto build, auto ref, double a_at, double b_at) {
        ctgrad::leaf a{a_at, ctgrad::requires_grad};
        ctgrad::leaf b{b_at, ctgrad::requires_grad};
        auto y = build(a, b);
        const double v = y.backward();
        CHECK(v == Approx(static_cast<double>(ref(a_at, b_at))).epsilon(1e-14));
        CHECK(a.grad() == Approx(fd2(ref, a_at, b_at, 0)).epsilon(1e-7));
        CHECK(b.grad() == Approx(fd2(ref, a_at, b_at, 1)).epsilon(1e-7));
    };
    check([](auto& a, auto& b) { return atan2(a, b); },
          [](long double a, long double b) { return std::atan2(a, b); }, a0, b0);
    check([](auto& a, auto& b) { return hypot(a, b); },
          [](long double a, long double b) { return std::hypot(a, b); }, a0, b0);
    check([](auto& a, auto& b) { return ctgrad::pow(a, b); },
          [](long double a, long double b) { return std::pow(a, b); }, a0, b0);
    check([](auto& a, auto& b) { return min(a, b); },
          [](long double a, long double b) { return std::fmin(a, b); }, a0, b0);
    check([](auto& a, auto& b) { return max(a, b); },
          [](long double a, long double b) { return std::fmax(a, b); }, a0, b0);
}

TEST_CASE("domain edges give the IEEE results at run time", "[math]") {
    ctgrad::leaf x{0.0, ctgrad::requires_grad};
    auto s = ctgrad::sqrt(x);
    CHECK(s.backward() == 0.0);
    CHECK(std::isinf(x.grad()));  // d/dx sqrt at 0 = +inf
    ctgrad::leaf n{-1.0, ctgrad::requires_grad};
    auto l = ctgrad::log(n);
    CHECK(std::isnan(l.backward()));
    ctgrad::leaf q{std::nan(""), ctgrad::requires_grad};
    auto r = ctgrad::relu(q) + ctgrad::abs(q);
    CHECK(std::isnan(r.backward()));
    CHECK(std::isnan(q.grad()));  // NaN in, NaN gradient out
}
