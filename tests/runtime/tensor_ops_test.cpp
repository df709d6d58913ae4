// Tensor operations at run time, on inputs the compiler cannot see (read through volatile):
// reductions, products, transpose, indexing, stack and broadcasting gradients. Expected values
// are derived by hand (in the comments) or by independent loops written here.
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <stdexcept>

using ctgrad_test::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

namespace {


// A tensor with varied, non-trivial run-time entries: t[k] = sin(seed + 1.3 k) * scale.
template <std::size_t... E>
tensor<double, E...> varied(double seed, double scale = 1.0) {
    tensor<double, E...> t{};
    for (std::size_t k = 0; k < t.size(); ++k)
        t.elems[k] = std::sin(opaque(seed) + 1.3 * static_cast<double>(k)) * scale;
    return t;
}

template <class T>
void check_close(const T& got, const T& want) {
    for (std::size_t k = 0; k < got.size(); ++k) {
        INFO("element " << k);
        CHECK(got.elems[k] == Approx(want.elems[k]).margin(1e-12));
    }
}

}  // namespace

TEST_CASE("sum: value and a gradient equal to the seed everywhere", "[tensor_ops]") {
    leaf x{varied<2, 3>(0.1), requires_grad};
    auto s = ctgrad::sum(x);
    const double seed = opaque(2.5);
    const double v = s.backward(seed);
    double want = 0;
    for (double e : x.value()) want += e;
    CHECK(v == Approx(want));
    for (double g : x.grad()) CHECK(g == 2.5);
}

TEST_CASE("mean: value and a gradient of seed / N", "[tensor_ops]") {
    leaf x{varied<5>(0.7), requires_grad};
    auto m = ctgrad::mean(x * 3.0);
    const double v = m.backward();
    double want = 0;
    for (double e : x.value()) want += 3.0 * e;
    CHECK(v == Approx(want / 5));
    for (double g : x.grad()) CHECK(g == Approx(3.0 / 5));
}

TEST_CASE("the mean of a squared 2x2 matrix", "[tensor_ops]") {
    // M = [[1, 2], [3, 4]]: mean(M^2) = 30 / 4 = 7.5, d/dM = M / 2.
    leaf M{tensor<double, 2, 2>{opaque(1), opaque(2), opaque(3), opaque(4)}, requires_grad};
    auto m = ctgrad::mean(M * M);
    CHECK(m.backward() == 7.5);
    CHECK(M.grad() == tensor<double, 2, 2>{0.5, 1.0, 1.5, 2.0});
}

TEST_CASE("dot: value and gradients b and a", "[tensor_ops]") {
    leaf a{varied<4>(0.3), requires_grad};
    leaf b{varied<4>(2.1), requires_grad};
    auto d = ctgrad::dot(a, b);
    const double v = d.backward(opaque(-2.0));
    double want = 0;
    for (std::size_t i = 0; i < 4; ++i) want += a.value()[i] * b.value()[i];
    CHECK(v == Approx(want));
    for (std::size_t i = 0; i < 4; ++i) {
        CHECK(a.grad()[i] == Approx(-2.0 * b.value()[i]));
        CHECK(b.grad()[i] == Approx(-2.0 * a.value()[i]));
    }
}

TEST_CASE("norm: value, gradient x / ||x||, and 0 at the origin", "[tensor_ops]") {
    leaf x{varied<3>(1.7), requires_grad};
    auto n = ctgrad::norm(x);
    const double v = n.backward();
    double ss = 0;
    for (double e : x.value()) ss += e * e;
    const double want = std::sqrt(ss);
    CHECK(v == Approx(want));
    for (std::size_t i = 0; i < 3; ++i) CHECK(x.grad()[i] == Approx(x.value()[i] / want));

    leaf z{tensor{opaque(0.0), opaque(0.0)}, requires_grad};
    auto nz = ctgrad::norm(z);
    CHECK(nz.backward() == 0.0);
    CHECK(z.grad() == tensor{0.0, 0.0});
    CHECK_FALSE(std::isnan(z.grad()[0]));
}

TEST_CASE("a scalar leaf broadcast over a vector gets the sum of the gradient", "[tensor_ops]") {
    leaf s{opaque(0.5), requires_grad};
    const tensor v{opaque(1.0), opaque(2.0), opaque(3.0)};
    // y = s * v, seed g = [1, 10, 100]: dy/ds = g . v = 1 + 20 + 300 = 321.
    auto y = s * v;
    y.backward(tensor{1.0, 10.0, 100.0});
    CHECK(s.grad() == 321.0);
    // sum(s + v): d/ds = 3 (one per element), accumulated onto 321.
    auto w = ctgrad::sum(s + v);
    CHECK(w.backward() == 7.5);
    CHECK(s.grad() == 324.0);
}

TEST_CASE("a row vector broadcast over a matrix gets its gradient summed over rows",
          "[tensor_ops]") {
    leaf M{varied<3, 4>(0.9), requires_grad};
    leaf b{varied<4>(-0.4), requires_grad};
    const auto G = varied<3, 4>(3.3);
    auto y = M * b;  // b scales every row of M
    y.backward(G);
    for (std::size_t j = 0; j < 4; ++j) {
        double want = 0;  // d/db_j = sum_i G_ij M_ij
        for (std::size_t i = 0; i < 3; ++i) want += G(i, j) * M.value()(i, j);
        CHECK(b.grad()[j] == Approx(want));
        for (std::size_t i = 0; i < 3; ++i) CHECK(M.grad()(i, j) == Approx(G(i, j) * b.value()[j]));
    }
}

TEST_CASE("a small network: z = xW + b, loss = mean((z - y)^2)", "[tensor_ops]") {
    using m22 = tensor<double, 2, 2>;
    // Hand-derived (see tests/static/tensor_ops_static.cpp for the same numbers):
    // x = [[1, 2], [0, 1]], W = [[1, -1], [2, 0]], b = [0.5, -0.5], y = [[4, 0], [1, 1]];
    // z = [[5.5, -1.5], [2.5, -0.5]], loss = 2.25, dz = (z - y) / 2 = [[0.75, -0.75], [0.75, -0.75]],
    // db = [1.5, -1.5], dW = x^T dz = [[0.75, -0.75], [2.25, -2.25]].
    leaf x{m22{opaque(1), opaque(2), opaque(0), opaque(1)}};
    leaf W{m22{opaque(1), opaque(-1), opaque(2), opaque(0)}, requires_grad};
    leaf b{tensor{opaque(0.5), opaque(-0.5)}, requires_grad};
    const m22 y{4, 0, 1, 1};
    auto z = (ctgrad::matmul(x, W) + b).retain_grad();
    auto loss = ctgrad::mean((z - y) * (z - y));
    CHECK(loss.backward() == 2.25);
    CHECK(z.value() == m22{5.5, -1.5, 2.5, -0.5});
    CHECK(z.grad() == m22{0.75, -0.75, 0.75, -0.75});
    CHECK(b.grad() == tensor{1.5, -1.5});
    CHECK(W.grad() == m22{0.75, -0.75, 2.25, -2.25});
}

TEST_CASE("a small network on varied data, against hand-written loops", "[tensor_ops]") {
    constexpr std::size_t N = 4, I = 3, O = 2;
    leaf x{varied<N, I>(0.2)};
    leaf W{varied<I, O>(1.1), requires_grad};
    leaf b{varied<O>(2.6), requires_grad};
    const auto y = varied<N, O>(-1.0);
    auto z = (ctgrad::matmul(x, W) + b).retain_grad();
    auto loss = ctgrad::mean(ctgrad::pow<2>(z - y));
    const double v = loss.backward();

    tensor<double, N, O> zz{}, dz{};
    double want = 0;
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) {
            double acc = b.value()[o];
            for (std::size_t i = 0; i < I; ++i) acc += x.value()(n, i) * W.value()(i, o);
            zz(n, o) = acc;
            want += (acc - y(n, o)) * (acc - y(n, o)) / (N * O);
            dz(n, o) = 2 * (acc - y(n, o)) / (N * O);
        }
    tensor<double, I, O> dW{};
    tensor<double, O> db{};
    for (std::size_t n = 0; n < N; ++n)
        for (std::size_t o = 0; o < O; ++o) {
            db[o] += dz(n, o);
            for (std::size_t i = 0; i < I; ++i) dW(i, o) += x.value()(n, i) * dz(n, o);
        }
    CHECK(v == Approx(want));
    check_close(z.value(), zz);
    check_close(z.grad(), dz);
    check_close(W.grad(), dW);
    check_close(b.grad(), db);

    // A gradient-descent step on W and b lowers the loss (the expression sees the new values).
    for (std::size_t k = 0; k < W.value().size(); ++k) W.value().elems[k] -= 0.1 * W.grad().elems[k];
    for (std::size_t k = 0; k < b.value().size(); ++k) b.value().elems[k] -= 0.1 * b.grad().elems[k];
    CHECK(loss.value() < v);
}

TEST_CASE("matmul gradients: dA = G B^T and dB = A^T G", "[tensor_ops]") {
    constexpr std::size_t M = 3, K = 4, N = 2;
    leaf A{varied<M, K>(0.5), requires_grad};
    leaf B{varied<K, N>(1.9), requires_grad};
    const auto G = varied<M, N>(-2.2, 3.0);
    auto C = ctgrad::matmul(A, B);
    const auto c = C.backward(G);

    tensor<double, M, N> want_c{};
    tensor<double, M, K> dA{};
    tensor<double, K, N> dB{};
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j)
            for (std::size_t p = 0; p < K; ++p) {
                want_c(i, j) += A.value()(i, p) * B.value()(p, j);
                dA(i, p) += G(i, j) * B.value()(p, j);  // (G B^T)_ip
                dB(p, j) += A.value()(i, p) * G(i, j);  // (A^T G)_pj
            }
    check_close(c, want_c);
    check_close(A.grad(), dA);
    check_close(B.grad(), dB);
    check_close(ctgrad::matmul(A.value(), B.value()), want_c);  // eager
}

TEST_CASE("matmul of a matrix and a vector", "[tensor_ops]") {
    constexpr std::size_t M = 3, K = 5;
    leaf A{varied<M, K>(0.8), requires_grad};
    leaf v{varied<K>(-0.6), requires_grad};
    const auto g = varied<M>(4.0, 2.0);
    auto y = ctgrad::matmul(A, v);
    const auto val = y.backward(g);
    tensor<double, M> want{};
    tensor<double, M, K> dA{};
    tensor<double, K> dv{};
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t p = 0; p < K; ++p) {
            want[i] += A.value()(i, p) * v.value()[p];
            dA(i, p) += g[i] * v.value()[p];
            dv[p] += A.value()(i, p) * g[i];
        }
    check_close(val, want);
    check_close(A.grad(), dA);
    check_close(v.grad(), dv);
}

TEST_CASE("transpose: value and the transposed gradient", "[tensor_ops]") {
    leaf A{varied<2, 3>(0.4), requires_grad};
    const auto G = varied<3, 2>(1.5);
    auto t = ctgrad::transpose(A);
    const auto val = t.backward(G);
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            CHECK(val(j, i) == A.value()(i, j));
            CHECK(A.grad()(i, j) == G(j, i));
        }
    CHECK(ctgrad::transpose(A.value()) == val);  // eager
}

TEST_CASE("gradients accumulate over a 4x5 matrix; zero_grad resets them", "[tensor_ops]") {
    leaf M{varied<4, 5>(0.05), requires_grad};
    auto s = ctgrad::sum(M * M);  // d/dM = 2M per pass
    s.backward();
    const auto once = M.grad();
    s.backward();
    for (std::size_t k = 0; k < 20; ++k) {
        CHECK(once.elems[k] == Approx(2 * M.value().elems[k]));
        CHECK(M.grad().elems[k] == Approx(4 * M.value().elems[k]));
    }
    M.zero_grad();
    CHECK(M.grad() == tensor<double, 4, 5>{});
}

TEST_CASE("indexing: the gradient flows into the selected element only", "[tensor_ops]") {
    leaf x{tensor{opaque(1.0), opaque(2.0), opaque(3.0)}, requires_grad};
    // y = x[0] * x[2] = 3; dy/dx = [3, 0, 1].
    auto y = ctgrad::at(x, 0) * ctgrad::at(x, std::size_t{2});
    CHECK(y.backward() == 3.0);
    CHECK(x.grad() == tensor{3.0, 0.0, 1.0});

    leaf M{varied<3, 4>(0.0), requires_grad};
    auto e = ctgrad::at(M, 2, 1) * 5.0;
    CHECK(e.backward() == Approx(5.0 * M.value()(2, 1)));
    for (std::size_t i = 0; i < 3; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(M.grad()(i, j) == (i == 2 && j == 1 ? 5.0 : 0.0));
}

TEST_CASE("indexing out of range throws std::out_of_range when the expression is built",
          "[tensor_ops]") {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    leaf M{tensor<double, 2, 3>{}, requires_grad};
    volatile int three = 3, minus_one = -1, two = 2;
    CHECK_THROWS_AS(ctgrad::at(x, three), std::out_of_range);
    CHECK_THROWS_AS(ctgrad::at(x, minus_one), std::out_of_range);
    CHECK_THROWS_AS(ctgrad::at(M, two, 0), std::out_of_range);
    CHECK_THROWS_AS(ctgrad::at(M, 1, three), std::out_of_range);
    CHECK_THROWS_AS(ctgrad::at(x * x, three), std::out_of_range);
    CHECK_THROWS_AS(ctgrad::at(x.value(), three), std::out_of_range);  // eager
    CHECK_NOTHROW(ctgrad::at(M, 1, two));
}

TEST_CASE("stack: element k of the gradient goes to operand k", "[tensor_ops]") {
    leaf a{opaque(3.0), requires_grad};
    leaf b{opaque(4.0), requires_grad};
    leaf v{tensor{opaque(1.0), opaque(2.0)}, requires_grad};
    // s = [a b, a + b, v[1], 7] = [12, 7, 2, 7]; seed [1, 10, 100, 1000]:
    // d/da = b + 10 = 14, d/db = a + 10 = 13, d/dv = [0, 100].
    auto s = ctgrad::stack(a * b, a + b, ctgrad::at(v, 1), 7);
    const auto val = s.backward(tensor{1.0, 10.0, 100.0, 1000.0});
    CHECK(val == tensor{12.0, 7.0, 2.0, 7.0});
    CHECK(a.grad() == 14.0);
    CHECK(b.grad() == 13.0);
    CHECK(v.grad() == tensor{0.0, 100.0});
    CHECK(ctgrad::stack(opaque(1.0), 2) == tensor{1.0, 2.0});  // eager
}

TEST_CASE("eager reductions and products on plain tensors", "[tensor_ops]") {
    const tensor v{opaque(3.0), opaque(4.0)};
    CHECK(ctgrad::sum(v) == 7.0);
    CHECK(ctgrad::mean(v) == 3.5);
    CHECK(ctgrad::norm(v) == 5.0);
    CHECK(ctgrad::dot(v, v) == 25.0);
    const tensor<double, 2, 2> m{opaque(1), opaque(2), opaque(3), opaque(4)};
    CHECK(ctgrad::matmul(m, v) == tensor{11.0, 25.0});
    CHECK(ctgrad::matmul(m, m) == tensor<double, 2, 2>{7, 10, 15, 22});
    CHECK(ctgrad::at(m, 1, 0) == 3.0);
}
