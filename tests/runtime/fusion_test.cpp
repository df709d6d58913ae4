// Fused evaluation: elementwise sub-expressions under sum and mean are evaluated and
// differentiated element by element (eval/fused.hpp, fused_region). These cases stress the region
// boundaries: broadcast operands, shared (let) values, two regions in one expression, non-grad
// parts, comparisons and where inside a region, and run-time lengths. Expected values come from
// hand-written loops and the hand-derived derivatives written next to them.
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

using ctgrad_test::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

TEST_CASE("fused sum: broadcast row and scalar inside the region", "[fusion]") {
    // f = sum((A + r) * s), A 2x3, r a row of 3 broadcast over rows, s a scalar.
    leaf A{tensor<double, 2, 3>{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, requires_grad};
    leaf r{tensor<double, 3>{opaque(0.5), -1.0, 2.0}, requires_grad};
    leaf s{opaque(1.5), requires_grad};
    auto f = ctgrad::sum((A + r) * s);
    const double v = f.backward();
    double expect = 0, sum_ar = 0;
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) sum_ar += A.value()(i, j) + r.value()[j];
    expect = sum_ar * 1.5;
    CHECK(v == Approx(expect));
    for (std::size_t k = 0; k < 6; ++k) CHECK(A.grad().elems[k] == Approx(1.5));  // df/dA = s
    for (std::size_t j = 0; j < 3; ++j) CHECK(r.grad()[j] == Approx(2 * 1.5));   // two rows
    CHECK(s.grad() == Approx(sum_ar));                                            // df/ds
}

TEST_CASE("fused mean with a shared value and a second region", "[fusion]") {
    // f = mean(exp(x) * w) + sum(w * w) with w = let(x * 2): dw/dx = 2.
    leaf x{tensor<double, 4>{opaque(0.1), -0.3, 0.7, 1.2}, requires_grad};
    auto f = ctgrad::let(x * 2.0, [&](auto w) { return ctgrad::mean(exp(x) * w) + ctgrad::sum(w * w); });
    const double v = f.backward();
    double expect = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const double xi = x.value()[i], wi = 2 * xi;
        expect += std::exp(xi) * wi / 4 + wi * wi;
        // d/dxi: (exp(xi) wi + exp(xi) * 2) / 4 + 2 wi * 2
        CHECK(x.grad()[i] == Approx((std::exp(xi) * wi + 2 * std::exp(xi)) / 4 + 4 * wi));
    }
    CHECK(v == Approx(expect));
}

TEST_CASE("fused sum with where, a comparison and data without grad", "[fusion]") {
    // f = sum(where(d > 0, d * a, a * a)): d data, a a scalar parameter.
    const leaf d{tensor<double, 5>{-1.0, 2.0, opaque(0.5), -3.0, 4.0}};
    leaf a{opaque(0.75), requires_grad};
    auto f = ctgrad::sum(ctgrad::where(d > 0.0, d * a, a * a));
    const double v = f.backward();
    double expect = 0, grad = 0;
    for (double di : {-1.0, 2.0, 0.5, -3.0, 4.0}) {
        expect += di > 0 ? di * 0.75 : 0.75 * 0.75;
        grad += di > 0 ? di : 2 * 0.75;
    }
    CHECK(v == Approx(expect));
    CHECK(a.grad() == Approx(grad));
}

TEST_CASE("fused sum over run-time lengths: values, gradients, mismatch", "[fusion]") {
    std::vector<double> ys(257), xs(257);
    for (std::size_t i = 0; i < ys.size(); ++i) {
        ys[i] = std::sin(opaque(0.3) * static_cast<double>(i));
        xs[i] = std::cos(0.2 * static_cast<double>(i));
    }
    const leaf y{tensor<double, ctgrad::dyn>(ys)};
    leaf x{tensor<double, ctgrad::dyn>(xs), requires_grad};
    leaf mu{opaque(0.2), requires_grad};
    // f = sum((y - mu)^2 * x): df/dmu = sum -2 (y - mu) x, df/dx_i = (y_i - mu)^2
    auto f = ctgrad::sum(ctgrad::pow<2>(y - mu) * x);
    const double v = f.backward();
    double expect = 0, dmu = 0;
    for (std::size_t i = 0; i < ys.size(); ++i) {
        expect += (ys[i] - 0.2) * (ys[i] - 0.2) * xs[i];
        dmu += -2 * (ys[i] - 0.2) * xs[i];
        CHECK(x.grad()[i] == Approx((ys[i] - 0.2) * (ys[i] - 0.2)));
    }
    CHECK(v == Approx(expect));
    CHECK(mu.grad() == Approx(dmu));

    const leaf shorter{tensor<double, ctgrad::dyn>(std::vector<double>(3, 1.0))};
    auto bad = ctgrad::sum(y * shorter);
    CHECK_THROWS_AS(bad.value(), std::invalid_argument);
}

TEST_CASE("fused sums in packs: every length around the pack width, pre-accumulated partials", "[fusion]") {
    // f = sum(-0.5 ((y - mu) / sigma)^2) - n log(sigma), the normal log-density without its
    // constant, over data y: its region is arithmetic only, so it runs in packs of elements
    // with a scalar tail. df/dmu = sum z_i / sigma, df/dsigma = sum z_i^2 / sigma - n / sigma.
    for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 5u, 7u, 8u, 9u, 101u}) {
        std::vector<double> ys(n);
        for (std::size_t i = 0; i < n; ++i) ys[i] = 0.3 + 1.7 * std::sin(opaque(1.3) * static_cast<double>(i));
        const leaf y{ctgrad::view(ys)};
        leaf mu{opaque(0.5), requires_grad};
        leaf sigma{opaque(1.3), requires_grad};
        const double N = static_cast<double>(n);
        auto f = ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * log(sigma);
        double expect = -N * std::log(1.3), dmu = 0, dsigma = -N / 1.3;
        for (double yi : ys) {
            const double z = (yi - 0.5) / 1.3;
            expect += -0.5 * z * z;
            dmu += z / 1.3;
            dsigma += z * z / 1.3;
        }
        CAPTURE(n);
        CHECK(f.value() == Approx(expect).margin(1e-12));
        CHECK(f.backward() == Approx(expect).margin(1e-12));
        CHECK(mu.grad() == Approx(dmu).margin(1e-12));
        CHECK(sigma.grad() == Approx(dsigma).margin(1e-12));
    }
}

TEST_CASE("fused sum in packs over a fixed shape with a grad tensor and a scalar", "[fusion]") {
    // f = sum(x * a + x / a) over 5 elements (two packs of two and a tail of one):
    // df/dx_i = a + 1/a, df/da = sum x_i (1 - 1/a^2).
    leaf x{tensor<double, 5>{opaque(1.0), 2.0, 3.0, 4.0, 5.0}, requires_grad};
    leaf a{opaque(2.0), requires_grad};
    auto f = ctgrad::sum(x * a + x / a);
    CHECK(f.backward() == Approx(15 * 2.0 + 15 / 2.0));
    for (std::size_t i = 0; i < 5; ++i) CHECK(x.grad()[i] == Approx(2.0 + 0.5));
    CHECK(a.grad() == Approx(15 * (1 - 0.25)));
}

TEST_CASE("fused sums in packs through the elementary functions with pack kernels", "[fusion]") {
    // f = sum over i of g(a x_i) for each of the ten functions with a pack kernel, over lengths
    // around the pack width; the value and df/da = sum x_i g'(a x_i), df/dx_i = a g'(a x_i) against
    // std:: (the kernels are within 2 ulp of it: the sums agree to 1e-13 relative).
    const double a0 = 0.7;
    for (std::size_t n : {1u, 2u, 3u, 5u, 8u, 9u, 17u, 1003u}) {
        std::vector<double> xs(n);
        for (std::size_t i = 0; i < n; ++i) xs[i] = -3.0 + 6.0 * static_cast<double>(i) / static_cast<double>(n);
        leaf x{ctgrad::tensor<double, ctgrad::dyn>{xs}, requires_grad};
        leaf a{opaque(a0), requires_grad};
        auto u = [&] { return a * x; };
        auto f = ctgrad::sum(exp(u()) + log(u() * u() + 1.0) + log1p(exp(u())) + expm1(u()) + tanh(u()) +
                             sigmoid(u()) + softplus(u()) + sin(u()) + cos(u()) + erf(u()));
        static_assert(ctgrad::evaluation_plan<decltype(f)>::packs);
        double v = 0, ga = 0;
        std::vector<double> gx(n);
        for (std::size_t i = 0; i < n; ++i) {
            const double t = a0 * xs[i], s = 1 / (1 + std::exp(-t)), th = std::tanh(t);
            v += std::exp(t) + std::log(t * t + 1) + std::log1p(std::exp(t)) + std::expm1(t) + th + s +
                 std::log1p(std::exp(t)) + std::sin(t) + std::cos(t) + std::erf(t);
            const double d = std::exp(t) + 2 * t / (t * t + 1) + s + std::exp(t) + (1 - th * th) + s * (1 - s) + s +
                             std::cos(t) - std::sin(t) + 2 / std::sqrt(3.141592653589793) * std::exp(-t * t);
            ga += xs[i] * d;
            gx[i] = a0 * d;
        }
        CAPTURE(n);
        CHECK(f.value() == Approx(v).epsilon(1e-13));
        CHECK(f.backward() == Approx(v).epsilon(1e-13));
        CHECK(a.grad() == Approx(ga).epsilon(1e-13).margin(1e-13));
        for (std::size_t i = 0; i < n; ++i) CHECK(x.grad()[i] == Approx(gx[i]).epsilon(1e-13));
    }
}

TEST_CASE("a kept region in packs: logsumexp", "[fusion]") {
    // f = log(sum(exp(x))): the one-node region exp(x) keeps its values, in packs, and the
    // reverse rule reads them back in packs: df/dx_i = exp(x_i) / sum exp(x).
    for (std::size_t n : {1u, 2u, 5u, 8u, 9u, 100u, 1001u}) {
        std::vector<double> xs(n);
        for (std::size_t i = 0; i < n; ++i) xs[i] = std::sin(opaque(0.37) * static_cast<double>(i));
        leaf x{ctgrad::tensor<double, ctgrad::dyn>{xs}, requires_grad};
        auto f = log(ctgrad::sum(exp(x)));
        using P = ctgrad::evaluation_plan<decltype(f)>;
        static_assert(P::keeps && P::packs);
        double s = 0;
        for (double v : xs) s += std::exp(v);
        CAPTURE(n);
        CHECK(f.backward() == Approx(std::log(s)).epsilon(1e-14));
        for (std::size_t i = 0; i < n; ++i) CHECK(x.grad()[i] == Approx(std::exp(xs[i]) / s).epsilon(1e-14));
    }
}
