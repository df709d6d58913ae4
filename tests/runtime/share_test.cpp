// ctgrad::share proven "once" by counting: each shared intermediate is evaluated once and
// differentiated once per value()/backward(), however many times it is used. Expected counts and
// gradients are derived by hand in the comments.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>

#include "counting.hpp"

using counting_test::counted;
using counting_test::counts;
using counting_test::op_counts;

namespace {

// t_{k+1} = share(t_k * t_k), k = 0 .. K - 1; returns the value and x.grad() after backward().
template <int K, class T>
auto square_chain(T& t, ctgrad::leaf<counted, true>& x, long& forward_muls, long& backward_muls) {
    if constexpr (K == 0) {
        counts = {};
        (void)t.value();
        forward_muls = counts.muls;
        counts = {};
        const counted v = t.backward();
        backward_muls = counts.muls;
        return std::pair{v.v, x.grad().v};
    } else {
        auto next = ctgrad::share(t * t);
        return square_chain<K - 1>(next, x, forward_muls, backward_muls);
    }
}

}  // namespace

TEST_CASE("a chain of 12 shared squarings is evaluated and differentiated once per step", "[share]") {
    ctgrad::leaf<counted, true> x{counted{1.001}};
    long fwd = 0, bwd = 0;
    auto t1 = ctgrad::share(x * x);
    const auto [v, g] = square_chain<11>(t1, x, fwd, bwd);
    // value x^(2^12); derivative 2^12 x^(2^12 - 1)
    CHECK(v == Approx(std::pow(1.001, 4096.0)).epsilon(1e-12));
    CHECK(g == Approx(4096.0 * std::pow(1.001, 4095.0)).epsilon(1e-12));
    // 12 products forward (not 2^12 - 1, as a chain of copies would have); backward adds two
    // products per step, g * t for each of the two uses of t.
    CHECK(fwd == 12);
    CHECK(bwd == 12 + 2 * 12);
}

TEST_CASE("copies are evaluated once per use, shared intermediates once", "[share]") {
    ctgrad::leaf<counted, true> x{counted{1.5}};
    auto copy1 = x * x;
    auto copy2 = copy1 * copy1;
    auto copy3 = copy2 * copy2;  // a tree of 7 products
    counts = {};
    (void)copy3.value();
    CHECK(counts.muls == 7);
    auto s1 = ctgrad::share(x * x);
    auto s2 = ctgrad::share(s1 * s1);
    auto s3 = s2 * s2;  // 3 products
    counts = {};
    (void)s3.value();
    CHECK(counts.muls == 3);
}

TEST_CASE("a diamond: one shared intermediate used by two others and by the root", "[share]") {
    ctgrad::leaf<counted, true> x{counted{1.5}};
    auto a = ctgrad::share(x / 2.0);  // the only division of the graph
    auto b = ctgrad::share(a * 3.0);
    auto c = ctgrad::share(a * a);
    auto y = b * c + a;  // y = 3a * a^2 + a = 3 a^3 + a, a = x / 2
    counts = {};
    const counted v = y.value();
    CHECK(counts.divs == 1);
    counts = {};
    const counted vb = y.backward();
    // one division forward, and one in the reverse rule of a (d(x/2)/dx = 1/2), however many uses
    CHECK(counts.divs == 2);
    const double a0 = 0.75;
    CHECK(v.v == Approx(3 * a0 * a0 * a0 + a0));
    CHECK(vb.v == v.v);
    // dy/dx = (9 a^2 + 1) / 2
    CHECK(x.grad().v == Approx((9 * a0 * a0 + 1) / 2));
    // a second backward accumulates again, with the same single evaluation
    counts = {};
    (void)y.backward();
    CHECK(counts.divs == 2);
    CHECK(x.grad().v == Approx(9 * a0 * a0 + 1));
}

TEST_CASE("a loop result indexed twice runs the loop once", "[share]") {
    ctgrad::leaf<ctgrad::tensor<counted, 2>, true> x{ctgrad::tensor<counted, 2>{1.1, 0.9}};
    // z_{k+1} = z_k * z_k elementwise, 3 steps: z_3 = x^8; 2 products per step
    auto z = ctgrad::share(ctgrad::fori_loop(3, x, [](auto s) { return s * s; }));
    auto r = z[0] * z[1];
    counts = {};
    const counted v = r.value();
    CHECK(counts.muls == 3 * 2 + 1);
    (void)r.backward();
    const double x0 = 1.1, x1 = 0.9;
    CHECK(v.v == Approx(std::pow(x0 * x1, 8.0)));
    // dr/dx0 = 8 x0^7 x1^8, dr/dx1 = 8 x0^8 x1^7
    CHECK(x.grad()[0].v == Approx(8 * std::pow(x0, 7.0) * std::pow(x1, 8.0)));
    CHECK(x.grad()[1].v == Approx(8 * std::pow(x0, 8.0) * std::pow(x1, 7.0)));
}

TEST_CASE("two distinct shared intermediates of the same type stay distinct", "[share]") {
    ctgrad::leaf<double, true> x{1.5}, w{-0.5};
    auto a = ctgrad::share(x * x);
    auto b = ctgrad::share(w * w);
    static_assert(std::is_same_v<decltype(a), decltype(b)>);
    auto y = a * b + a;  // x^2 w^2 + x^2
    const double v = y.backward();
    CHECK(v == Approx(1.5 * 1.5 * 0.25 + 1.5 * 1.5));
    CHECK(x.grad() == Approx(2 * 1.5 * 0.25 + 2 * 1.5));  // 2 x w^2 + 2 x
    CHECK(w.grad() == Approx(2 * 1.5 * 1.5 * -0.5));      // 2 x^2 w
}

TEST_CASE("a shared intermediate reached only through stop_gradient gets no gradient", "[share]") {
    ctgrad::leaf<double, true> x{2.0};
    auto a = ctgrad::share(x * x);
    auto y = a + ctgrad::stop_gradient(a) * x;  // x^2 + (x^2 held) * x
    (void)y.backward();
    CHECK(x.grad() == Approx(2 * 2.0 + 4.0));  // d/dx: 2x + a
}

TEST_CASE("retain_grad results are shared intermediates and keep their gradient", "[share]") {
    ctgrad::leaf<counted, true> x{counted{2.0}};
    auto h = (x / 4.0).retain_grad();
    auto y = h * h + h;  // h^2 + h, h = x / 4
    counts = {};
    (void)y.backward();
    CHECK(counts.divs == 2);  // h once forward, once in its reverse rule
    CHECK(h.grad().v == Approx(2 * 0.5 + 1));
    CHECK(x.grad().v == Approx((2 * 0.5 + 1) / 4));
}

TEST_CASE("a shared intermediate sees the leaves' current values", "[share]") {
    ctgrad::leaf<double, true> x{1.0};
    auto t = ctgrad::share(x * x + 0.25);
    auto y = t * t;
    CHECK(y.value() == Approx(1.5625));
    x.value() = 2.0;
    CHECK(y.value() == Approx(4.25 * 4.25));
    CHECK(t.value() == Approx(4.25));
}

TEST_CASE("a shared intermediate used inside a loop body and directly is differentiated once", "[share]") {
    // t = x / 4 used by fori_loop's step (z -> z * t, 3 steps from z0 = 1) and by the root:
    // y = t^3 + t, dy/dx = (3 t^2 + 1) / 4. Only t divides: once forward, once in its reverse
    // rule (as in the retain_grad test above), so any second evaluation or reverse shows.
    ctgrad::leaf<counted, true> x{counted{2.0}};
    auto t = ctgrad::share(x / 4.0);
    auto y = ctgrad::fori_loop(3, counted{1.0}, [&t](auto z) { return z * t; }) + t;
    counts = {};
    const counted v = y.backward();
    CHECK(v.v == Approx(0.125 + 0.5));
    CHECK(x.grad().v == Approx((3 * 0.25 + 1) / 4));
    CHECK(counts.divs == 2);
}

TEST_CASE("a shared intermediate first reached without a gradient is evaluated again for one", "[share]") {
    // a is used under stop_gradient first (evaluated without keeping values), then live.
    ctgrad::leaf<double, true> x{3.0};
    auto a = ctgrad::share(x * x * x);
    auto y = ctgrad::stop_gradient(a) * x + a;  // (a held) * x + x^3
    (void)y.backward();
    CHECK(x.grad() == Approx(27.0 + 3 * 9.0));  // a + 3 x^2
}
