// The functional layer at run time, checked against hand-derived values and finite differences.
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>

using ctgrad_test::opaque;
using ctgrad::tensor;

TEST_CASE("grad and value_and_grad", "[functional]") {
    const double a = opaque(1.5), b = opaque(-0.5);
    auto f = [](auto x, auto y) { return x * x * y + sin(x * y); };
    auto [gx, gy] = ctgrad::grad<0, 1>(f)(a, b);
    CHECK(gx == Approx(2 * a * b + b * std::cos(a * b)));
    CHECK(gy == Approx(a * a + a * std::cos(a * b)));
    auto [v, g] = ctgrad::value_and_grad(f)(a, b);
    CHECK(v == Approx(a * a * b + std::sin(a * b)));
    CHECK(g == Approx(gx));
}

TEST_CASE("higher orders by forward over reverse", "[functional]") {
    const double x = opaque(0.7);
    auto f = [](auto t) { return exp(t) * t; };  // f^(n) = e^t (t + n)
    CHECK(ctgrad::grad(f)(x) == Approx(std::exp(x) * (x + 1)));
    CHECK(ctgrad::grad(ctgrad::grad(f))(x) == Approx(std::exp(x) * (x + 2)));
    CHECK(ctgrad::grad(ctgrad::grad(ctgrad::grad(f)))(x) == Approx(std::exp(x) * (x + 3)));
}

TEST_CASE("hessian and jacobian", "[functional]") {
    const tensor<double, 2> p{opaque(1.0), opaque(2.0)};
    auto h = ctgrad::hessian([](auto v) { return ctgrad::pow<3>(v[0]) - 2.0 * v[0] * v[1] - ctgrad::pow<6>(v[1]); })(p);
    CHECK(h == tensor<double, 2, 2>{6.0, -2.0, -2.0, -480.0});
    auto j = ctgrad::jacobian([](auto v) { return ctgrad::stack(v[0] * v[1], sin(v[0])); })(p);
    CHECK(j(0, 0) == 2.0);
    CHECK(j(0, 1) == 1.0);
    CHECK(j(1, 0) == Approx(std::cos(1.0)));
    CHECK(j(1, 1) == 0.0);
}

TEST_CASE("jvp and vjp agree with the jacobian", "[functional]") {
    auto f = [](auto v) { return v * v * 3.0; };
    const tensor<double, 2> p{opaque(1.0), opaque(-2.0)}, t{0.5, 2.0};
    auto [y, jt] = ctgrad::jvp(f, std::tuple{p}, std::tuple{t});
    CHECK(y == tensor{3.0, 12.0});
    CHECK(jt == tensor{6.0 * 1.0 * 0.5, 6.0 * -2.0 * 2.0});
    auto [y2, back] = ctgrad::vjp(f, p);
    CHECK(y2 == y);
    auto [g] = back(t);
    CHECK(g == jt);  // J is diagonal, so J^T t == J t
}

TEST_CASE("gradcheck reports small errors for correct gradients", "[functional]") {
    CHECK(ctgrad::gradcheck([](auto x, auto y) { return x * sin(y) + y * y; }, 0.3, -1.2) < 1e-7);
}

TEST_CASE("fori_loop: Euler sensitivity against the closed form", "[functional][loops]") {
    // y' = -k y, y(0) = 1, n Euler steps of h: y_n = (1 - h k)^n, dy_n/dk = -n h (1 - h k)^(n-1).
    const double k0 = opaque(0.5), h = 0.01;
    const std::size_t n = static_cast<std::size_t>(opaque(250.0));
    ctgrad::leaf k{k0, ctgrad::requires_grad};
    auto y = ctgrad::fori_loop(n, 1.0, [&k, h](auto s) { return s - h * k * s; });
    const double v = y.backward();
    CHECK(v == Approx(std::pow(1 - h * k0, static_cast<double>(n))).epsilon(1e-12));
    CHECK(k.grad() == Approx(-static_cast<double>(n) * h * std::pow(1 - h * k0, static_cast<double>(n) - 1)).epsilon(1e-12));
    // n = 0: the loop is the identity.
    ctgrad::leaf x{2.0, ctgrad::requires_grad};
    auto z = ctgrad::fori_loop(0, x, [](auto s) { return s * s; });
    CHECK(z.backward() == 2.0);
    CHECK(x.grad() == 1.0);
}
