// Core behaviour at run time, on inputs the compiler cannot see (read through volatile).
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <sstream>

using ctgrad_test::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

TEST_CASE("seed example prints [4, 6, 8]", "[core]") {
    leaf x{tensor{opaque(1.0), opaque(2.0), opaque(3.0)}, requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    y.backward(tensor{1.0, 1.0, 1.0});
    std::ostringstream os;
    os << x.grad();
    CHECK(os.str() == "[4, 6, 8]");
}

TEST_CASE("products, quotients and a leaf used twice", "[core]") {
    const double a = opaque(3.0), b = opaque(-4.5);
    leaf x{a, requires_grad};
    leaf y{b, requires_grad};
    auto f = x * y / (x + y) + x * x;
    const double v = f.backward();
    // f = xy/(x+y) + x^2; df/dx = y^2/(x+y)^2 + 2x; df/dy = x^2/(x+y)^2
    const double s = a + b;
    CHECK(v == Approx(a * b / s + a * a));
    CHECK(x.grad() == Approx(b * b / (s * s) + 2 * a));
    CHECK(y.grad() == Approx(a * a / (s * s)));
}

TEST_CASE("backward accumulates, zero_grad resets, value changes are seen", "[core]") {
    leaf x{opaque(2.0), requires_grad};
    auto y = x * x * x;
    y.backward();
    y.backward();
    CHECK(x.grad() == 24.0);
    x.zero_grad();
    CHECK(x.grad() == 0.0);
    x.value() = opaque(-1.0);
    CHECK(y.backward() == -1.0);
    CHECK(x.grad() == 3.0);
}

TEST_CASE("training loop: gradient descent on a quadratic", "[core]") {
    // loss = (w*u - t)^2 over one sample; the minimiser is w = t/u.
    const double u = opaque(2.0), t = opaque(3.0);
    leaf w{opaque(0.0), requires_grad};
    auto loss = ctgrad::pow<2>(w * u - t);
    for (int i = 0; i < 200; ++i) {
        w.zero_grad();
        loss.backward();
        w.value() -= 0.05 * w.grad();
    }
    CHECK(w.value() == Approx(t / u).epsilon(1e-9));
}

TEST_CASE("retain_grad, detach and stop_gradient", "[core]") {
    const double a = opaque(2.0);
    leaf x{a, requires_grad};
    auto h = (x * x).retain_grad();
    auto y = h * h + h;  // dy/dh = 2h + 1
    y.backward();
    CHECK(h.grad() == 2 * a * a + 1);
    CHECK(x.grad() == (2 * a * a + 1) * 2 * a);

    leaf z{a, requires_grad};
    auto d = ctgrad::detach(z * z);
    auto s = z * ctgrad::stop_gradient(z * z) + z * d;
    s.backward();
    CHECK(z.grad() == 2 * a * a);
}

TEST_CASE("let and iterate agree with hand-written loops", "[core]") {
    const double x0 = opaque(0.125);
    double t = x0, d = 1.0;
    for (int k = 0; k < 30; ++k) {
        d = 2 * t * d;
        t = t * t + 0.25;
    }
    leaf x{x0, requires_grad};
    auto z = ctgrad::iterate<30>(x, [](auto s) { return s * s + 0.25; });
    CHECK(z.backward() == t);
    CHECK(x.grad() == Approx(d).epsilon(1e-12));

    // poly_chain from the benchmark set, with y shared: z(k+1) = z(k) * y + z(k)^3 / 8.
    const double y0 = opaque(0.5);
    leaf y{y0, requires_grad};
    leaf x2{x0, requires_grad};
    auto p = ctgrad::iterate<25>(x2, [&y](auto s) { return ctgrad::let(s, [&y](auto q) { return q * y + q * q * q / 8.0; }); });
    double zz = x0, dzdx = 1.0, dzdy = 0.0;
    for (int k = 0; k < 25; ++k) {
        const double dfdz = y0 + 3 * zz * zz / 8.0;
        dzdy = dfdz * dzdy + zz;
        dzdx = dfdz * dzdx;
        zz = zz * y0 + zz * zz * zz / 8.0;
    }
    CHECK(p.backward() == Approx(zz).epsilon(1e-14));
    CHECK(x2.grad() == Approx(dzdx).epsilon(1e-12));
    CHECK(y.grad() == Approx(dzdy).epsilon(1e-12));

    leaf q{opaque(3.0), requires_grad};
    auto r = ctgrad::let(q * 2.0, [](auto a) { return ctgrad::let(a * a, [a](auto b) { return b + a; }); });
    CHECK(r.backward() == 42.0);
    CHECK(q.grad() == 26.0);
}

TEST_CASE("tensor expressions with scalars and tensors", "[core]") {
    leaf x{tensor{opaque(1.0), opaque(-2.0)}, requires_grad};
    leaf c{tensor{3.0, 4.0}};
    auto y = x * c + x / 2.0 - 1;
    const auto v = y.backward(tensor{1.0, 2.0});
    CHECK(v == tensor{1.0 * 3 + 0.5 - 1, -2.0 * 4 - 1 - 1});
    CHECK(x.grad() == tensor{3.5, 2 * 4.5});
}

TEST_CASE("tensor indexing is checked", "[core]") {
    tensor<double, 2, 3> m{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    CHECK(m(1, 2) == 6.0);
    CHECK_THROWS_AS(m(2, 0), std::out_of_range);
    tensor v{1.0, 2.0};
    CHECK_THROWS_AS(v[static_cast<int>(opaque(2.0))], std::out_of_range);
    CHECK_THROWS_AS(v[-1], std::out_of_range);
    std::ostringstream os;
    os << tensor<int, 2, 2>{1, 2, 3, 4};
    CHECK(os.str() == "[[1, 2], [3, 4]]");
}

TEST_CASE("a handle used twice in one op: t * t is differentiated as a square", "[let]") {
    // let(u = 2y): u * u + u / u + pow<2>(u); d/dy = (2u + 0 + 2u) * 2 = 8u = 48 at y = 3.
    ctgrad::leaf y{ctgrad_test::opaque(3.0), ctgrad::requires_grad};
    auto e = ctgrad::let(y * 2.0, [](auto u) { return u * u + u / u + ctgrad::pow<2>(u); });
    CHECK(e.backward() == Approx(36.0 + 1.0 + 36.0));
    CHECK(y.grad() == Approx(48.0));
    // the same handle on both sides of - and of a tensor product inside a fused sum
    ctgrad::leaf v{ctgrad::tensor<double, 3>{ctgrad_test::opaque(1.0), 2.0, 3.0}, ctgrad::requires_grad};
    auto s = ctgrad::let(v, [](auto w) { return ctgrad::sum(w * w) + ctgrad::sum(w - w); });
    CHECK(s.backward() == Approx(14.0));
    for (std::size_t i = 0; i < 3; ++i) CHECK(v.grad()[i] == Approx(2.0 * static_cast<double>(i + 1)));
}

TEST_CASE("iterate: a step that ignores its state gives the initial value a zero gradient", "[iterate]") {
    ctgrad::leaf x{ctgrad_test::opaque(0.7), ctgrad::requires_grad};
    ctgrad::leaf k{ctgrad_test::opaque(2.0), ctgrad::requires_grad};
    auto t = ctgrad::iterate<3>(x, [&k](auto) { return k * 1.5; });
    CHECK(t.backward() == Approx(3.0));
    CHECK(x.grad() == 0.0);
    CHECK(k.grad() == Approx(1.5));
    // sq_chain's step through let: t(k+1) = t(k)^2 + 0.25, dt3/dx = 8 t0 t1 t2
    ctgrad::leaf z{ctgrad_test::opaque(0.1), ctgrad::requires_grad};
    auto c = ctgrad::iterate<3>(z, [](auto s) { return ctgrad::let(s, [](auto u) { return u * u + 0.25; }); });
    const double t0 = 0.1, t1 = t0 * t0 + 0.25, t2 = t1 * t1 + 0.25;
    CHECK(c.backward() == Approx(t2 * t2 + 0.25));
    CHECK(z.grad() == Approx(8 * t0 * t1 * t2));
}

TEST_CASE("loop steps read values from outside: let handles, outer states and k", "[iterate]") {
    // z(k+1) = z(k) * inv + inv with inv = let(1 / s), z(0) = x, three steps: z3 = x inv^3 +
    // inv^3 + inv^2 + inv; dz3/dx = inv^3, dz3/ds = -(3 x inv^2 + 3 inv^2 + 2 inv + 1) / s^2.
    const double x0 = ctgrad_test::opaque(2.0), s0 = ctgrad_test::opaque(4.0), inv = 1 / s0;
    ctgrad::leaf x{x0, ctgrad::requires_grad};
    ctgrad::leaf s{s0, ctgrad::requires_grad};
    auto e = ctgrad::let(1.0 / s, [&](auto h) { return ctgrad::iterate<3>(x, [&](auto z) { return z * h + h; }); });
    CHECK(e.backward() == Approx(x0 * inv * inv * inv + inv * inv * inv + inv * inv + inv));
    CHECK(x.grad() == Approx(inv * inv * inv));
    CHECK(s.grad() == Approx(-(3 * x0 * inv * inv + 3 * inv * inv + 2 * inv + 1) / (s0 * s0)));

    // fori_loop over a let handle used as init and inside the step: z(0) = h = 2w,
    // z(n) = h + n h^2; d/dw = 2 (1 + 2 n h) = 98 at w = 3, n = 4.
    ctgrad::leaf w{ctgrad_test::opaque(3.0), ctgrad::requires_grad};
    auto f = ctgrad::let(w * 2.0, [&](auto h) { return ctgrad::fori_loop(4, h, [&](auto z) { return z + h * h; }); });
    CHECK(f.backward() == Approx(150.0));
    CHECK(w.grad() == Approx(98.0));

    // a vector state reading an outer vector: z(k+1) = z(k) * c with c = let(2v) elementwise,
    // z(0) = v: z2 = 4 v^3, dz2_i/dv_i = 12 v_i^2 (summed with seed 1 by sum).
    ctgrad::leaf v{ctgrad::tensor<double, 3>{ctgrad_test::opaque(1.0), 2.0, -1.5}, ctgrad::requires_grad};
    auto g = ctgrad::sum(ctgrad::let(v * 2.0, [&](auto c) { return ctgrad::iterate<2>(v, [&](auto z) { return z * c; }); }));
    CHECK(g.backward() == Approx(4 * (1.0 + 8.0 - 3.375)));
    CHECK(v.grad()[0] == Approx(12 * 1.0));
    CHECK(v.grad()[1] == Approx(12 * 4.0));
    CHECK(v.grad()[2] == Approx(12 * 2.25));
}
