// Run-time-length tensors (tensor<T, ctgrad::dyn>) and views at run time: construction and the
// value interface, elementwise operations and broadcasting, reductions, gradients checked
// against hand-written loops, and run-time length mismatches (exceptions naming both lengths).
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <sstream>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

using ctgrad_test::opaque;
using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using vec = tensor<double, dyn>;

namespace {


// n varied run-time values: d[k] = sin(seed + 0.7 k) * scale + shift.
std::vector<double> varied(std::size_t n, double seed, double scale = 1.0, double shift = 0.0) {
    std::vector<double> d(n);
    for (std::size_t k = 0; k < n; ++k)
        d[k] = std::sin(opaque(seed) + 0.7 * static_cast<double>(k)) * scale + shift;
    return d;
}

std::string printed(const auto& v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

// The message of the std::invalid_argument thrown by f (empty when nothing is thrown).
template <class F>
std::string mismatch_message(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

bool names_both(const std::string& msg, std::size_t a, std::size_t b) {
    return msg.find(std::to_string(a)) != std::string::npos &&
           msg.find(std::to_string(b)) != std::string::npos &&
           msg.find("length mismatch") != std::string::npos;
}

}  // namespace

TEST_CASE("dyn tensor: construction and the value interface", "[dyn]") {
    const std::vector<double> data{1.0, 2.0, 3.0};
    tensor from_vector{data};
    STATIC_REQUIRE(std::is_same_v<decltype(from_vector), vec>);
    tensor from_span{std::span<const double>(data)};
    STATIC_REQUIRE(std::is_same_v<decltype(from_span), vec>);
    vec from_list{1.0, 2.0, 3.0};
    CHECK(from_vector == from_list);
    CHECK(from_span == from_list);
    CHECK(from_list.size() == 3);
    CHECK(from_list.shape()[0] == 3);
    CHECK(vec::zeros(5) == vec{0.0, 0.0, 0.0, 0.0, 0.0});
    CHECK(vec{}.size() == 0);
    CHECK(vec{1.0, 2.0} != vec{1.0, 2.0, 3.0});

    double s = 0;
    for (double x : from_list) s += x;
    CHECK(s == 6.0);
    from_list[1] = 5.0;
    CHECK(from_list[1] == 5.0);
    CHECK(from_list(2) == 3.0);
    CHECK_THROWS_AS(from_list[3], std::out_of_range);
    CHECK_THROWS_AS(from_list[-1], std::out_of_range);

    CHECK(printed(vec{1.0, 2.0, 3.0}) == "[1, 2, 3]");
    CHECK(printed(vec{}) == "[]");
    CHECK(printed(ctgrad::view(std::span<const double>(data))) == "[1, 2, 3]");
}

TEST_CASE("dyn tensor: eager elementwise operations and reductions", "[dyn]") {
    const vec a{std::vector<double>{1.0, -2.0, 4.0}};
    const vec b{std::vector<double>{0.5, 3.0, 2.0}};
    CHECK(a + b == vec{1.5, 1.0, 6.0});
    CHECK(a * 2.0 == vec{2.0, -4.0, 8.0});
    CHECK(1.0 - a == vec{0.0, 3.0, -3.0});
    CHECK(a / tensor{2.0} == vec{0.5, -1.0, 2.0});
    CHECK(a * tensor{1.0, 2.0, 3.0} == vec{1.0, -4.0, 12.0});
    CHECK(-a == vec{-1.0, 2.0, -4.0});
    CHECK(ctgrad::sum(a) == 3.0);
    CHECK(ctgrad::mean(a) == 1.0);
    CHECK(ctgrad::norm(vec{3.0, 4.0}) == 5.0);
    CHECK(ctgrad::dot(a, b) == 0.5 - 6.0 + 8.0);
}

TEST_CASE("dyn tensor: length mismatches throw and name both lengths", "[dyn]") {
    const vec a{1.0, 2.0, 3.0};
    const vec b{1.0, 2.0};
    CHECK(names_both(mismatch_message([&] { (void)(a + b); }), 3, 2));
    CHECK(names_both(mismatch_message([&] { (void)(a * tensor{1.0, 2.0, 3.0, 4.0}); }), 3, 4));
    CHECK(names_both(mismatch_message([&] { (void)ctgrad::dot(a, b); }), 3, 2));

    leaf x{vec{1.0, 2.0, 3.0}, requires_grad};
    leaf y{vec{1.0, 2.0, 3.0, 4.0, 5.0}};
    auto bad = x * y;  // built fine: lengths are checked when evaluated
    CHECK(names_both(mismatch_message([&] { (void)bad.value(); }), 3, 5));
    auto bad_dot = ctgrad::dot(x, y);
    CHECK(names_both(mismatch_message([&] { (void)bad_dot.backward(); }), 3, 5));
    auto good = x * x;
    CHECK(names_both(mismatch_message([&] { (void)good.backward(vec{1.0, 1.0}); }), 2, 3));
    CHECK(x.grad() == vec{0.0, 0.0, 0.0});  // nothing was accumulated by the failed passes

    // a data leaf whose length changes between evaluations: the expression follows it
    y.value() = vec{2.0, 2.0, 2.0};
    CHECK(bad.value() == vec{2.0, 4.0, 6.0});

    // a parameter whose length changes while its grad still has the old one: backward() refuses
    // (contributions go straight into grad()) and leaves grad() as it was; after zero_grad() the
    // new length is used
    leaf p{vec{1.0, 2.0}, requires_grad};
    auto sq = ctgrad::sum(p * p);
    CHECK(sq.backward() == 5.0);
    CHECK(p.grad() == vec{2.0, 4.0});
    p.value() = vec{1.0, 2.0, 3.0};
    CHECK(names_both(mismatch_message([&] { (void)sq.backward(); }), 2, 3));
    CHECK(p.grad() == vec{2.0, 4.0});
    p.zero_grad();
    CHECK(sq.backward() == 14.0);
    CHECK(p.grad() == vec{2.0, 4.0, 6.0});
}

TEST_CASE("dyn tensor: gradients of elementwise expressions against loops", "[dyn]") {
    const std::size_t n = 257;
    const std::vector<double> xs = varied(n, 0.3, 1.5, 2.0);  // in [0.5, 3.5]: log is defined
    const std::vector<double> cs = varied(n, 1.1);
    leaf x{tensor{xs}, requires_grad};
    leaf c{tensor{cs}};
    leaf w{opaque(0.8), requires_grad};

    // f = sum(w * c * log(x) + exp(-x) / x + x * tensor-constant-broadcast scalar)
    auto f = ctgrad::sum(w * c * ctgrad::log(x) + ctgrad::exp(-x) / x) + ctgrad::mean(x * x);
    const double v = f.backward();

    double ev = 0, dw = 0;
    std::vector<double> dx(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double xi = xs[i];
        ev += 0.8 * cs[i] * std::log(xi) + std::exp(-xi) / xi + xi * xi / static_cast<double>(n);
        dw += cs[i] * std::log(xi);
        // d/dx [exp(-x) / x] = -exp(-x) / x - exp(-x) / x^2
        dx[i] = 0.8 * cs[i] / xi - std::exp(-xi) / xi - std::exp(-xi) / (xi * xi) +
                2.0 * xi / static_cast<double>(n);
    }
    CHECK(v == Approx(ev).epsilon(1e-12));
    CHECK(w.grad() == Approx(dw).epsilon(1e-12));
    REQUIRE(x.grad().size() == n);
    for (std::size_t i = 0; i < n; ++i) CHECK(x.grad()[i] == Approx(dx[i]).epsilon(1e-12));

    // a vector-Jacobian product with a seed of the run-time length
    x.zero_grad();
    CHECK(x.grad() == vec::zeros(n));
    auto g = ctgrad::pow<2>(x) * c;
    const vec seed{varied(n, 2.0)};
    const vec gv = g.backward(seed);
    for (std::size_t i = 0; i < n; ++i) {
        CHECK(gv[i] == Approx(xs[i] * xs[i] * cs[i]));
        CHECK(x.grad()[i] == Approx(seed[i] * 2.0 * xs[i] * cs[i]));
    }
}

TEST_CASE("dyn tensor: the Gaussian log-likelihood over a data leaf", "[dyn]") {
    // sum(-0.5 ((y - mu) / sigma)^2) - N log(sigma) over dyn data y and scalar parameters:
    //   d/dmu    = sum((y - mu) / sigma^2)
    //   d/dsigma = sum((y - mu)^2 / sigma^3) - N / sigma
    for (const std::size_t n : {std::size_t{1}, std::size_t{10}, std::size_t{1000}}) {
        const std::vector<double> ys = varied(n, 0.9, 2.0, 1.0);
        const double m = opaque(0.4), s = opaque(1.7);
        const double N = static_cast<double>(n);
        leaf y{tensor{ys}};
        leaf mu{m, requires_grad};
        leaf sigma{s, requires_grad};
        auto ll = ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * ctgrad::log(sigma);
        const double v = ll.backward();

        double ev = -N * std::log(s), dmu = 0, dsigma = -N / s;
        for (double yi : ys) {
            const double r = yi - m;
            ev += -0.5 * (r / s) * (r / s);
            dmu += r / (s * s);
            dsigma += r * r / (s * s * s);
        }
        CHECK(v == Approx(ev).epsilon(1e-12));
        CHECK(mu.grad() == Approx(dmu).epsilon(1e-12));
        CHECK(sigma.grad() == Approx(dsigma).epsilon(1e-12));

        // the same over a view of the data (no copy)
        leaf yv{ctgrad::view(std::span<const double>(ys))};
        auto llv = ctgrad::sum(-0.5 * ctgrad::pow<2>((yv - mu) / sigma)) - N * ctgrad::log(sigma);
        mu.zero_grad();
        sigma.zero_grad();
        CHECK(llv.backward() == Approx(ev).epsilon(1e-12));
        CHECK(mu.grad() == Approx(dmu).epsilon(1e-12));
        CHECK(sigma.grad() == Approx(dsigma).epsilon(1e-12));
    }
}

TEST_CASE("dyn tensor: reductions, dot, indexing and fixed operands", "[dyn]") {
    const std::size_t n = 33;
    const std::vector<double> xs = varied(n, 0.2), ws = varied(n, 1.7);
    leaf x{tensor{xs}, requires_grad};
    leaf wl{tensor{ws}};
    auto f = ctgrad::dot(x, wl) + ctgrad::norm(x) + ctgrad::mean(x) + 3.0 * x[4];
    const double v = f.backward();
    double nrm = 0, d = 0, sm = 0;
    for (std::size_t i = 0; i < n; ++i) nrm += xs[i] * xs[i], d += xs[i] * ws[i], sm += xs[i];
    nrm = std::sqrt(nrm);
    CHECK(v == Approx(d + nrm + sm / static_cast<double>(n) + 3.0 * xs[4]));
    for (std::size_t i = 0; i < n; ++i)
        CHECK(x.grad()[i] ==
              Approx(ws[i] + xs[i] / nrm + 1.0 / static_cast<double>(n) + (i == 4 ? 3.0 : 0.0)));

    // e[i] past the run-time end throws when evaluated
    auto past = x[n];
    CHECK_THROWS_AS(past.value(), std::out_of_range);

    // a fixed rank-1 constant and a one-element tensor broadcast with a dyn leaf
    leaf z{vec{1.0, 2.0, 3.0}, requires_grad};
    auto h = ctgrad::sum(z * tensor{2.0, 3.0, 4.0} + tensor{1.0} * z);
    CHECK(h.backward() == 2.0 + 6.0 + 12.0 + 6.0);
    CHECK(z.grad() == vec{3.0, 4.0, 5.0});
}

TEST_CASE("dyn tensor: comparisons, where, retain_grad and a training loop", "[dyn]") {
    leaf x{vec{-1.0, 2.0, -3.0, 4.0}, requires_grad};
    auto r = ctgrad::sum(ctgrad::where(x > 0.0, x * x, -x));
    CHECK(r.backward() == 1.0 + 4.0 + 3.0 + 16.0);
    CHECK(x.grad() == vec{-1.0, 4.0, -1.0, 8.0});

    x.zero_grad();
    auto h = (x * 2.0).retain_grad();
    auto s = ctgrad::sum(h * h);
    s.backward();
    CHECK(h.grad() == vec{-4.0, 8.0, -12.0, 16.0});  // 2 h
    CHECK(x.grad() == vec{-8.0, 16.0, -24.0, 32.0});  // 2 * 2 h

    // fit w in y = w * t by gradient descent on the mean squared error
    const std::vector<double> ts = varied(50, 0.1, 1.0, 2.0);
    std::vector<double> ys(ts.size());
    for (std::size_t i = 0; i < ts.size(); ++i) ys[i] = 1.5 * ts[i];
    leaf t{ctgrad::view(std::span<const double>(ts))};
    leaf y{tensor{ys}};
    leaf w{0.0, requires_grad};
    auto loss = ctgrad::mean(ctgrad::pow<2>(w * t - y));
    for (int step = 0; step < 200; ++step) {
        w.zero_grad();
        loss.backward();
        w.value() -= 0.05 * w.grad();
    }
    CHECK(w.value() == Approx(1.5).epsilon(1e-9));
}

TEST_CASE("dyn tensor: let, loops and leaf seeds", "[dyn]") {
    leaf x{vec{1.0, 2.0}, requires_grad};
    leaf w{vec{1.0, 2.0}, requires_grad};

    // let: h = 3x, sum(h h): d/dx = 18 x
    auto l = ctgrad::sum(ctgrad::let(x * 3.0, [](auto h) { return h * h; }));
    CHECK(l.backward() == 9.0 + 36.0);
    CHECK(x.grad() == vec{18.0, 36.0});

    // fori_loop doubling 3 times: d/dx sum(8 x) = 8
    x.zero_grad();
    auto f = ctgrad::sum(ctgrad::fori_loop(3, x, [](auto z) { return z * 2.0; }));
    CHECK(f.backward() == 24.0);
    CHECK(x.grad() == vec{8.0, 8.0});

    // iterate<3> squaring: x^8, d/dx = 8 x^7
    x.zero_grad();
    auto it = ctgrad::sum(ctgrad::iterate<3>(x, [](auto z) { return z * z; }));
    CHECK(it.backward() == 1.0 + 256.0);
    CHECK(x.grad() == vec{8.0, 1024.0});

    // a loop body that ignores its state: no gradient reaches the initial value
    x.zero_grad();
    auto ig = ctgrad::sum(ctgrad::fori_loop(3, x, [&](auto) { return w * 2.0; }));
    CHECK(ig.backward() == 6.0);
    CHECK(x.grad() == vec{0.0, 0.0});
    CHECK(w.grad() == vec{2.0, 2.0});

    // a leaf is an expression: its seed must have its length
    CHECK(names_both(mismatch_message([&] { (void)x.backward(vec{1.0}); }), 1, 2));
    x.backward(vec{1.0, 1.0});
    CHECK(x.grad() == vec{1.0, 1.0});

    // grad and value_and_grad of functions of dyn arguments
    const auto g = ctgrad::grad([](auto a) { return ctgrad::sum(a * a); })(vec{1.0, 2.0});
    CHECK(g == vec{2.0, 4.0});
    const auto [v, gw] =
        ctgrad::value_and_grad<1>([](auto a, auto s) { return ctgrad::sum(s * a * a); })(
            vec{1.0, 2.0}, 3.0);
    CHECK(v == 15.0);
    CHECK(gw == 5.0);
}
