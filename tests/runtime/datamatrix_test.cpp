// Data matrices of run-time rows (tensor<T, ctgrad::dyn, C...> and ctgrad::view<C...>) at run
// time: the value interface, elementwise operations broadcasting fixed rows over the run-time
// rows (and a run-time row count of 1 like a fixed 1), matmul, rows, sum/mean, and gradients
// checked against hand-written loops or central differences. Size mismatches throw.
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <sstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

using ctgrad_test::opaque;
using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using mat2 = tensor<double, dyn, 2>;
using mat3 = tensor<double, dyn, 3>;

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

template <class Ex = std::invalid_argument, class F>
std::string message_of(F f) {
    try {
        f();
    } catch (const Ex& e) {
        return e.what();
    }
    return {};
}

bool names_both(const std::string& msg, std::size_t a, std::size_t b) {
    return msg.find(std::to_string(a) + " vs " + std::to_string(b)) != std::string::npos;
}

bool close(double a, double b, double tol = 1e-9) {
    return std::abs(a - b) <= tol * (1.0 + std::abs(a) + std::abs(b));
}

}  // namespace

TEST_CASE("data matrix: construction and the value interface", "[datamatrix]") {
    const mat2 x{std::vector{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}};
    CHECK(x.rows() == 3);
    CHECK(x.size() == 6);
    CHECK(x.shape() == std::array<std::size_t, 2>{3, 2});
    CHECK(x(2, 1) == 6.0);
    CHECK(x[1] == tensor{3.0, 4.0});
    CHECK(printed(x) == "[[1, 2], [3, 4], [5, 6]]");
    CHECK(printed(mat2{}) == "[]");
    CHECK(mat3::zeros(4).size() == 12);
    CHECK(mat3::zeros(4).rows() == 4);

    const std::vector<double> data{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    CHECK(mat3{std::span<const double>(data)}(1, 0) == 4.0);
    const auto v = ctgrad::view<3>(data);
    CHECK(v.rows() == 2);
    CHECK(v(1, 2) == 6.0);
    CHECK(v[0] == tensor{1.0, 2.0, 3.0});
    CHECK(printed(v) == "[[1, 2, 3], [4, 5, 6]]");
    CHECK(v.data() == data.data());  // no copy

    // n x C values are required: another size throws, naming it
    const std::string msg = message_of([] { mat2 bad{std::vector{1.0, 2.0, 3.0}}; (void)bad; });
    CHECK(msg.find("3 elements") != std::string::npos);
    CHECK(!message_of([&] { (void)ctgrad::view<4>(data); }).empty());
    CHECK(!message_of<std::out_of_range>([&] { (void)x(3, 0); }).empty());
    CHECK(!message_of<std::out_of_range>([&] { (void)x(0, 2); }).empty());
    CHECK(!message_of<std::out_of_range>([&] { (void)x[3]; }).empty());

    // rank 3: rows of 2 x 2
    tensor<double, dyn, 2, 2> cube{std::vector{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0}};
    CHECK(cube.rows() == 2);
    CHECK(cube(1, 0, 1) == 6.0);
    CHECK((cube[1] == tensor<double, 2, 2>{5.0, 6.0, 7.0, 8.0}));
    cube(0, 1, 1) = 9.0;
    CHECK(cube.elems[3] == 9.0);
}

TEST_CASE("data matrix: eager elementwise operations broadcast over the rows", "[datamatrix]") {
    const mat2 x{std::vector{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}};
    // a fixed row repeats over every row
    CHECK(x + tensor{10.0, 20.0} == mat2{std::vector{11.0, 22.0, 13.0, 24.0, 15.0, 26.0}});
    CHECK(x * 2.0 == mat2{std::vector{2.0, 4.0, 6.0, 8.0, 10.0, 12.0}});
    // a fixed (1, C) is one row; a column (n, 1) repeats along each row
    CHECK(x - tensor<double, 1, 2>{1.0, 1.0} == mat2{std::vector{0.0, 1.0, 2.0, 3.0, 4.0, 5.0}});
    const tensor<double, dyn, 1> col{std::vector{1.0, 2.0, 3.0}};
    CHECK(col * tensor{1.0, 10.0} == mat2{std::vector{1.0, 10.0, 2.0, 20.0, 3.0, 30.0}});
    // a run-time row count of 1 broadcasts like a fixed 1, on either side
    const mat2 one{std::vector{100.0, 200.0}};
    CHECK(x + one == mat2{std::vector{101.0, 202.0, 103.0, 204.0, 105.0, 206.0}});
    CHECK(one + x == x + one);
    CHECK(tensor{std::vector{2.0}} * tensor{std::vector{1.0, 2.0, 3.0}} == tensor{std::vector{2.0, 4.0, 6.0}});
    // a fixed number of rows must match the run-time rows
    CHECK(x + tensor<double, 3, 2>{} == x);
    CHECK(names_both(message_of([&] { (void)(x + tensor<double, 2, 2>{}); }), 3, 2));
    CHECK(names_both(message_of([&] { (void)(x + mat2::zeros(2)); }), 3, 2));
    CHECK(ctgrad::sum(x) == 21.0);
    CHECK(ctgrad::mean(x) == 3.5);
    CHECK(ctgrad::matmul(x, tensor{1.0, -1.0}) == tensor{std::vector{-1.0, -1.0, -1.0}});
    CHECK(ctgrad::matmul(x, tensor<double, 2, 3>{1.0, 0.0, 1.0, 0.0, 1.0, 1.0}) ==
          mat3{std::vector{1.0, 2.0, 3.0, 3.0, 4.0, 7.0, 5.0, 6.0, 11.0}});
    CHECK(ctgrad::at(x, 2, 0) == 5.0);
}

TEST_CASE("data matrix: gradients into fixed-shape leaves, fused and not", "[datamatrix]") {
    const std::size_t n = 37;
    const std::vector<double> xs = varied(3 * n, 0.2);
    const std::vector<double> w0 = {0.4, -0.7, 0.25};
    leaf x{ctgrad::view<3>(xs)};
    leaf w{tensor{opaque(w0[0]), opaque(w0[1]), opaque(w0[2])}, requires_grad};
    leaf b{opaque(0.3), requires_grad};

    // f = sum_ij exp(x_ij w_j) * b: hand derivatives df/dw_j = sum_i x_ij exp(x_ij w_j) b,
    // df/db = sum_ij exp(x_ij w_j)
    double f = 0.0, dw[3] = {}, db = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            const double e = std::exp(xs[i * 3 + j] * w0[j]);
            f += e * 0.3;
            dw[j] += xs[i * 3 + j] * e * 0.3;
            db += e;
        }
    auto fused = ctgrad::sum(exp(x * w) * b);
    static_assert(ctgrad::evaluation_plan<decltype(fused)>::nodes[1].fused);  // exp(x * w) * b
    CHECK(close(fused.backward(), f));
    for (std::size_t j = 0; j < 3; ++j) CHECK(close(w.grad()[j], dw[j]));
    CHECK(close(b.grad(), db));

    // the same through a materialised matrix and a seed of ones
    w.zero_grad();
    b.zero_grad();
    auto m = exp(x * w) * b;
    const auto val = m.backward(ctgrad::ones_like(m));
    static_assert(std::is_same_v<std::remove_cvref_t<decltype(val)>, mat3>);
    CHECK(val.rows() == n);
    CHECK(close(ctgrad::sum(val), f));
    for (std::size_t j = 0; j < 3; ++j) CHECK(close(w.grad()[j], dw[j]));
    CHECK(close(b.grad(), db));

    // mean divides by every element, rows x columns
    w.zero_grad();
    b.zero_grad();
    auto avg = ctgrad::mean(exp(x * w) * b);
    CHECK(close(avg.backward(), f / static_cast<double>(3 * n)));
    CHECK(close(b.grad(), db / static_cast<double>(3 * n)));
}

TEST_CASE("data matrix: gradients into a matrix leaf and a run-time row of 1", "[datamatrix]") {
    const std::size_t n = 5;
    const std::vector<double> xs = varied(2 * n, 0.9, 1.0, 2.0);
    leaf x{mat2{xs}, requires_grad};
    leaf r{mat2{std::vector{opaque(0.5), opaque(-1.5)}}, requires_grad};  // one row at run time
    // f = sum_ij x_ij^2 r_j: df/dx_ij = 2 x_ij r_j, df/dr_j = sum_i x_ij^2 (summed over the rows)
    double dr[2] = {};
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < 2; ++j) dr[j] += xs[i * 2 + j] * xs[i * 2 + j];
    auto f = ctgrad::sum(x * x * r);
    f.backward();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < 2; ++j)
            CHECK(close(x.grad()(i, j), 2.0 * xs[i * 2 + j] * (j == 0 ? 0.5 : -1.5)));
    CHECK(close(r.grad()(0, 0), dr[0]));
    CHECK(close(r.grad()(0, 1), dr[1]));
    CHECK(r.grad().rows() == 1);

    // not fused: the broadcast operand's gradient is summed over the rows as well
    x.zero_grad();
    r.zero_grad();
    auto g = x * r;
    g.backward(mat2{std::vector<double>(2 * n, 1.0)});
    double col[2] = {};
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < 2; ++j) col[j] += xs[i * 2 + j];
    CHECK(close(r.grad()(0, 0), col[0]));
    CHECK(close(r.grad()(0, 1), col[1]));
    CHECK(close(x.grad()(n - 1, 1), -1.5));

    // two rows do not broadcast over five: the error names both counts
    leaf two{mat2::zeros(2)};
    auto bad = ctgrad::sum(x * two);
    CHECK(names_both(message_of([&] { (void)bad.value(); }), n, 2));
    auto bad2 = x * two;
    CHECK(names_both(message_of([&] { (void)bad2.value(); }), n, 2));
}

TEST_CASE("data matrix: matmul with vectors and matrices, gradients vs hand loops", "[datamatrix]") {
    const std::size_t n = 23;
    const std::vector<double> xs = varied(3 * n, 0.4);
    leaf x{ctgrad::view<3>(xs)};
    leaf w{tensor{opaque(0.3), opaque(-0.2), opaque(0.5)}, requires_grad};
    leaf W{tensor<double, 3, 2>{0.1, -0.3, 0.2, 0.4, -0.5, 0.6}, requires_grad};
    leaf c{tensor{opaque(0.05), opaque(-0.1)}, requires_grad};

    // z = X w: f = sum_i tanh(z_i); df/dw_p = sum_i (1 - tanh^2 z_i) x_ip
    auto z = ctgrad::matmul(x, w);
    static_assert(std::is_same_v<ctgrad::value_t<decltype(z)>, tensor<double, dyn>>);
    double f = 0.0, dw[3] = {};
    for (std::size_t i = 0; i < n; ++i) {
        double zi = 0.0;
        for (std::size_t p = 0; p < 3; ++p) zi += xs[i * 3 + p] * w.value()[p];
        f += std::tanh(zi);
        for (std::size_t p = 0; p < 3; ++p) dw[p] += (1.0 - std::tanh(zi) * std::tanh(zi)) * xs[i * 3 + p];
    }
    auto loss = ctgrad::sum(tanh(z));
    CHECK(close(loss.backward(), f));
    for (std::size_t p = 0; p < 3; ++p) CHECK(close(w.grad()[p], dw[p]));

    // H = tanh(X W + c), n x 2: f = mean(H^2)
    auto h = tanh(ctgrad::matmul(x, W) + c);
    static_assert(std::is_same_v<ctgrad::value_t<decltype(h)>, mat2>);
    auto l2 = ctgrad::mean(h * h);
    double g2 = 0.0, dW[6] = {}, dc[2] = {};
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < 2; ++k) {
            double a = c.value()[k];
            for (std::size_t p = 0; p < 3; ++p) a += xs[i * 3 + p] * W.value()(p, k);
            const double t = std::tanh(a);
            g2 += t * t / static_cast<double>(2 * n);
            const double da = 2.0 * t * (1.0 - t * t) / static_cast<double>(2 * n);
            dc[k] += da;
            for (std::size_t p = 0; p < 3; ++p) dW[p * 2 + k] += da * xs[i * 3 + p];
        }
    CHECK(close(l2.backward(), g2));
    for (std::size_t q = 0; q < 6; ++q) CHECK(close(W.grad().elems[q], dW[q]));
    CHECK(close(c.grad()[0], dc[0]));
    CHECK(close(c.grad()[1], dc[1]));

    // a matrix leaf that requires grad: d sum(X w) / dX_ip = w_p
    leaf xm{mat3{xs}, requires_grad};
    auto s = ctgrad::sum(ctgrad::matmul(xm, w));
    s.backward();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t p = 0; p < 3; ++p) CHECK(xm.grad()(i, p) == w.value()[p]);
}

TEST_CASE("data matrix: rows of values, leaves and expressions", "[datamatrix]") {
    const std::vector<double> xs{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    leaf x{mat3{xs}, requires_grad};
    auto r = x[1];
    static_assert(std::is_same_v<ctgrad::value_t<decltype(r)>, tensor<double, 3>>);
    CHECK(r.value() == tensor{4.0, 5.0, 6.0});
    auto s = ctgrad::sum(r * r);
    CHECK(s.backward() == 16.0 + 25.0 + 36.0);
    // the gradient flows into that row only
    CHECK(x.grad() == mat3{std::vector{0.0, 0.0, 0.0, 8.0, 10.0, 12.0}});

    auto e = (x * 2.0)[0];
    CHECK(e.value() == tensor{2.0, 4.0, 6.0});
    // rows are checked against the run-time rows when evaluated
    auto past = x[2];
    CHECK(!message_of<std::out_of_range>([&] { (void)past.value(); }).empty());
    const leaf v{ctgrad::view<3>(xs)};
    CHECK(v[0].value() == tensor{1.0, 2.0, 3.0});
}

TEST_CASE("data matrix: gradcheck against central differences", "[datamatrix]") {
    const std::size_t n = 11;
    const std::vector<double> xs = varied(2 * n, 1.3);
    const std::vector<double> ys = varied(n, 0.1, 0.5, 0.5);
    const auto X = ctgrad::view<2>(xs);
    const auto y = ctgrad::view(std::span<const double>(ys));
    const double err = ctgrad::gradcheck(
        [X, y](auto w, auto b) {
            return ctgrad::let(ctgrad::matmul(X, w) + b,
                               [y](auto z) { return ctgrad::mean(ctgrad::softplus(z) - y * z); });
        },
        tensor{0.3, -0.8}, 0.1);
    CHECK(err < 1e-6);
}

TEST_CASE("data matrix: a matrix parameter trained by the optimizers", "[datamatrix]") {
    // minimise mean((p - t)^2) over a 3 x 2 parameter p: the gradient 2 (p - t) / 6 at p = 0 is
    // -t / 3 (by hand), and SGD's first step moves p to lr t / 3
    const mat2 t{std::vector{1.0, -2.0, 3.0, 0.5, -1.0, 2.0}};
    leaf p{mat2::zeros(3), requires_grad};
    auto loss = ctgrad::mean(ctgrad::pow<2>(p - t));
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.3}};
    loss.backward();
    for (std::size_t q = 0; q < 6; ++q) CHECK(close(p.grad().elems[q], -t.elems[q] / 3.0));
    opt.step();
    for (std::size_t q = 0; q < 6; ++q) CHECK(close(p.value().elems[q], 0.1 * t.elems[q]));

    leaf a{mat2::zeros(3), requires_grad};
    auto la = ctgrad::mean(ctgrad::pow<2>(a - t));
    ctgrad::optim::adam adam{ctgrad::params(a), {.lr = 0.05}};
    for (int step = 0; step < 400; ++step) {
        adam.zero_grad();
        la.backward();
        adam.step();
    }
    CHECK(la.value() < 1e-4);
    CHECK(a.value().rows() == 3);
    leaf<mat2, true> empty;  // default: no rows
    CHECK(empty.value().rows() == 0);
}
