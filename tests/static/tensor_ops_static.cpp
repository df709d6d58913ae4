// Tensor operations checked in constant evaluation: reductions, products, transpose, indexing,
// stack, broadcasting gradients and their eager forms. Compiling this file is passing.
// Expected values are derived by hand in the comments; inputs are chosen so that every result
// is exact in binary floating point.
#include <ctgrad/ctgrad.hpp>

#include <type_traits>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using m22 = tensor<double, 2, 2>;
using m23 = tensor<double, 2, 3>;
using m32 = tensor<double, 3, 2>;

// ---- value types --------------------------------------------------------------------------
namespace types {
inline leaf<tensor<double, 3>, true> v3{tensor{1.0, 2.0, 3.0}, requires_grad};
inline leaf<m23, true> a23{m23{}, requires_grad};
inline leaf<m32> b32{m32{}};
inline leaf<float> fs{1.0f};
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::sum(v3))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::mean(v3 * v3))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::norm(v3))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::dot(v3, v3))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::matmul(a23, b32))>, m22>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::matmul(a23, v3))>, tensor<double, 2>>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::transpose(a23))>, m32>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::at(v3, 1))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::at(a23, 1, 2u))>, double>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::stack(fs, 1.0f, 2))>, tensor<float, 3>>);
// Gradients flow through every op that touches a grad leaf, and nowhere else.
static_assert(ctgrad::requires_grad_v<decltype(ctgrad::matmul(a23, b32))>);
static_assert(!ctgrad::requires_grad_v<decltype(ctgrad::sum(b32))>);
static_assert(ctgrad::is_leaf_v<decltype(ctgrad::transpose(b32))>);
static_assert(ctgrad::requires_grad_v<decltype(ctgrad::stack(fs, ctgrad::at(v3, 0)))>);
// Eager forms on plain tensors return values, not expressions.
static_assert(std::is_same_v<decltype(ctgrad::sum(tensor{1.0, 2.0})), double>);
static_assert(std::is_same_v<decltype(ctgrad::matmul(m23{}, m32{})), m22>);
static_assert(std::is_same_v<decltype(ctgrad::matmul(m23{}, tensor<double, 3>{})), tensor<double, 2>>);
static_assert(std::is_same_v<decltype(ctgrad::transpose(m23{})), m32>);
static_assert(std::is_same_v<decltype(ctgrad::stack(1.0, 2.0)), tensor<double, 2>>);
static_assert(!ctgrad::expression<decltype(ctgrad::dot(tensor{1.0}, tensor{2.0}))>);
}  // namespace types

// ---- sum and mean ---------------------------------------------------------------------------

// sum(x * x) at [1, 2, 3] = 1 + 4 + 9 = 14; d/dx = 2x = [2, 4, 6].
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto s = ctgrad::sum(x * x);
    const double v = s.backward();
    return v == 14.0 && x.grad() == tensor{2.0, 4.0, 6.0};
}());

// sum's gradient is the seed in every element: seed 3 gives [3, 3, 3, 3].
static_assert([] {
    leaf x{tensor{1.0, -2.0, 0.5, 7.0}, requires_grad};
    auto s = ctgrad::sum(x);
    s.backward(3.0);
    return x.grad() == tensor{3.0, 3.0, 3.0, 3.0};
}());

// mean([1, 2, 3, 4]) = 10 / 4 = 2.5; gradient 1/4 in each element.
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0, 4.0}, requires_grad};
    auto m = ctgrad::mean(x);
    const double v = m.backward();
    return v == 2.5 && x.grad() == tensor{0.25, 0.25, 0.25, 0.25};
}());

// The mean of a squared 2x2 matrix M = [[1, 2], [3, 4]]: (1 + 4 + 9 + 16) / 4 = 7.5;
// d/dM = 2M / 4 = [[0.5, 1], [1.5, 2]].
static_assert([] {
    leaf M{m22{1.0, 2.0, 3.0, 4.0}, requires_grad};
    auto m = ctgrad::mean(ctgrad::pow<2>(M));
    const double v = m.backward();
    return v == 7.5 && M.grad() == m22{0.5, 1.0, 1.5, 2.0};
}());

// A reduction of a scalar is the scalar: sum(3x) = 3x, d/dx = 3; mean(x) = x, d/dx = 1.
static_assert([] {
    leaf x{2.0, requires_grad};
    auto s = ctgrad::sum(3.0 * x) + ctgrad::mean(x);
    const double v = s.backward();
    return v == 8.0 && x.grad() == 4.0;
}());

// ---- dot and norm ---------------------------------------------------------------------------

// dot([1, 2, 3], [4, 5, 6]) = 4 + 10 + 18 = 32; d/da = b, d/db = a.
static_assert([] {
    leaf a{tensor{1.0, 2.0, 3.0}, requires_grad};
    leaf b{tensor{4.0, 5.0, 6.0}, requires_grad};
    auto d = ctgrad::dot(a, b);
    const double v = d.backward();
    return v == 32.0 && a.grad() == tensor{4.0, 5.0, 6.0} && b.grad() == tensor{1.0, 2.0, 3.0};
}());

// dot with a constant and a seed of 2: d/da = 2 * [1, -1] = [2, -2].
static_assert([] {
    leaf a{tensor{3.0, 5.0}, requires_grad};
    auto d = ctgrad::dot(tensor{1.0, -1.0}, a);
    const double v = d.backward(2.0);
    return v == -2.0 && a.grad() == tensor{2.0, -2.0};
}());

// norm([2, -2, 2, 2]) = sqrt(16) = 4; d/dx = x / 4 = [0.5, -0.5, 0.5, 0.5].
static_assert([] {
    leaf x{tensor{2.0, -2.0, 2.0, 2.0}, requires_grad};
    auto n = ctgrad::norm(x);
    const double v = n.backward();
    return v == 4.0 && x.grad() == tensor{0.5, -0.5, 0.5, 0.5};
}());

// norm([3, 4]) = 5 (exact: sqrt of 25); the gradient at the origin is 0.
static_assert(ctgrad::norm(tensor{3.0, 4.0}) == 5.0);
static_assert([] {
    leaf x{tensor{0.0, 0.0, 0.0}, requires_grad};
    auto n = ctgrad::norm(x);
    const double v = n.backward();
    return v == 0.0 && x.grad() == tensor{0.0, 0.0, 0.0};
}());

// float works too: norm([3, 4]) = 5, gradient [3/5, 4/5] scaled by seed 5 is [3, 4].
static_assert([] {
    leaf x{tensor{3.0f, 4.0f}, requires_grad};
    auto n = ctgrad::norm(x);
    const float v = n.backward(5.0f);
    const auto g = x.grad();
    const float e0 = g[0] - 3.0f, e1 = g[1] - 4.0f;
    return v == 5.0f && e0 < 1e-6f && -e0 < 1e-6f && e1 < 1e-6f && -e1 < 1e-6f;
}());

// ---- broadcasting gradients -----------------------------------------------------------------

// A scalar leaf broadcast over a vector: d/ds sum(s + v) = 3 (the number of elements), and
// d/ds sum(s * v) = sum(v) = 1 + 2 + 3 = 6.
static_assert([] {
    leaf s{0.5, requires_grad};
    const tensor v{1.0, 2.0, 3.0};
    auto y = ctgrad::sum(s + v);
    const double val = y.backward();  // 1.5 + 2.5 + 3.5 = 7.5
    return val == 7.5 && s.grad() == 3.0;
}());
static_assert([] {
    leaf s{0.5, requires_grad};
    auto y = ctgrad::sum(s * tensor{1.0, 2.0, 3.0});
    y.backward();
    return s.grad() == 6.0;
}());

// A row vector b [3] broadcast over the rows of M [2, 3]: y = sum((M + b) * W) with
// W = [[1, 2, 3], [4, 5, 6]]; dy/db = W summed over rows = [5, 7, 9], dy/dM = W.
static_assert([] {
    leaf M{m23{}, requires_grad};
    leaf b{tensor{1.0, 1.0, 1.0}, requires_grad};
    const m23 W{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    auto y = ctgrad::sum((M + b) * W);
    const double v = y.backward();  // sum(W) = 21
    return v == 21.0 && b.grad() == tensor{5.0, 7.0, 9.0} && M.grad() == W;
}());

// ---- matmul and transpose -------------------------------------------------------------------

// A = [[1, 2, 3], [4, 5, 6]], B = [[1, 0], [0, 1], [1, 1]]: AB = [[4, 5], [10, 11]].
static_assert(ctgrad::matmul(m23{1, 2, 3, 4, 5, 6}, m32{1, 0, 0, 1, 1, 1}) == m22{4, 5, 10, 11});
static_assert([] {
    leaf A{m23{1, 2, 3, 4, 5, 6}, requires_grad};
    leaf B{m32{1, 0, 0, 1, 1, 1}};
    return ctgrad::matmul(A, B).value() == m22{4, 5, 10, 11};
}());

// Gradients with seed G = [[1, 2], [3, 4]]:
//   dA = G B^T: B^T = [[1, 0, 1], [0, 1, 1]];
//        row 0: 1*[1, 0, 1] + 2*[0, 1, 1] = [1, 2, 3]; row 1: 3*[1, 0, 1] + 4*[0, 1, 1] = [3, 4, 7]
//   dB = A^T G: A^T = [[1, 4], [2, 5], [3, 6]];
//        row 0: 1*[1, 2] + 4*[3, 4] = [13, 18]; row 1: 2*[1, 2] + 5*[3, 4] = [17, 24];
//        row 2: 3*[1, 2] + 6*[3, 4] = [21, 30]
static_assert([] {
    leaf A{m23{1, 2, 3, 4, 5, 6}, requires_grad};
    leaf B{m32{1, 0, 0, 1, 1, 1}, requires_grad};
    auto C = ctgrad::matmul(A, B);
    C.backward(m22{1, 2, 3, 4});
    return A.grad() == m23{1, 2, 3, 3, 4, 7} && B.grad() == m32{13, 18, 17, 24, 21, 30};
}());

// Matrix times vector: A [2, 3] x v [3] with v = [1, -1, 2]: Av = [1 - 2 + 6, 4 - 5 + 12] = [5, 11].
// Seed g = [1, 2]: dA = g v^T = [[1, -1, 2], [2, -2, 4]], dv = A^T g = [1 + 8, 2 + 10, 3 + 12].
static_assert([] {
    leaf A{m23{1, 2, 3, 4, 5, 6}, requires_grad};
    leaf v{tensor{1.0, -1.0, 2.0}, requires_grad};
    auto y = ctgrad::matmul(A, v);
    const auto val = y.backward(tensor{1.0, 2.0});
    return val == tensor{5.0, 11.0} && A.grad() == m23{1, -1, 2, 2, -2, 4} &&
           v.grad() == tensor{9.0, 12.0, 15.0};
}());
static_assert(ctgrad::matmul(m23{1, 2, 3, 4, 5, 6}, tensor{1.0, -1.0, 2.0}) == tensor{5.0, 11.0});

// transpose([[1, 2, 3], [4, 5, 6]]) = [[1, 4], [2, 5], [3, 6]]; its gradient is the seed
// transposed: seed [[1, 2], [3, 4], [5, 6]] gives [[1, 3, 5], [2, 4, 6]].
static_assert(ctgrad::transpose(m23{1, 2, 3, 4, 5, 6}) == m32{1, 4, 2, 5, 3, 6});
static_assert([] {
    leaf A{m23{1, 2, 3, 4, 5, 6}, requires_grad};
    auto t = ctgrad::transpose(A);
    const auto val = t.backward(m32{1, 2, 3, 4, 5, 6});
    return val == m32{1, 4, 2, 5, 3, 6} && A.grad() == m23{1, 3, 5, 2, 4, 6};
}());

// A^T A for A = [[1, 2], [3, 4]] is [[10, 14], [14, 20]]; S = sum(A^T A) = 58.
// S = sum_ij sum_k A_ki A_kj = sum_k r_k^2 with r_k the row sums of A (3 and 7: 9 + 49 = 58),
// so dS/dA_ki = 2 r_k: [[6, 6], [14, 14]].
static_assert([] {
    leaf A{m22{1, 2, 3, 4}, requires_grad};
    auto s = ctgrad::sum(ctgrad::matmul(ctgrad::transpose(A), A));
    const double v = s.backward();
    return v == 58.0 && A.grad() == m22{6, 6, 14, 14};
}());

// ---- the small network ----------------------------------------------------------------------
// x = [[1, 2], [0, 1]], W = [[1, -1], [2, 0]], b = [0.5, -0.5], y = [[4, 0], [1, 1]].
// xW = [[5, -1], [2, 0]]; z = xW + b = [[5.5, -1.5], [2.5, -0.5]]; z - y = [[1.5, -1.5], [1.5, -1.5]];
// loss = mean((z - y)^2) = 2.25. dz = 2 (z - y) / 4 = [[0.75, -0.75], [0.75, -0.75]];
// db = column sums of dz = [1.5, -1.5]; dW = x^T dz = [[0.75, -0.75], [2.25, -2.25]].
static_assert([] {
    leaf x{m22{1, 2, 0, 1}};
    leaf W{m22{1, -1, 2, 0}, requires_grad};
    leaf b{tensor{0.5, -0.5}, requires_grad};
    const m22 y{4, 0, 1, 1};
    auto z = (ctgrad::matmul(x, W) + b).retain_grad();
    auto loss = ctgrad::mean(ctgrad::pow<2>(z - y));
    const double v = loss.backward();
    return v == 2.25 && z.value() == m22{5.5, -1.5, 2.5, -0.5} &&
           z.grad() == m22{0.75, -0.75, 0.75, -0.75} && b.grad() == tensor{1.5, -1.5} &&
           W.grad() == m22{0.75, -0.75, 2.25, -2.25};
}());

// ---- indexing and stack ---------------------------------------------------------------------

// y = x[0] * x[2] at [1, 2, 3] = 3; dy/dx = [x2, 0, x0] = [3, 0, 1].
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = ctgrad::at(x, 0) * ctgrad::at(x, 2u);
    const double v = y.backward();
    return v == 3.0 && x.grad() == tensor{3.0, 0.0, 1.0};
}());

// M(1, 0) of [[1, 2], [3, 4]] is 3; the gradient flows into that element only. Indexing an
// intermediate: (M * M)(0, 1) = 4, d/dM_01 = 2 * M_01 = 4.
static_assert([] {
    leaf M{m22{1, 2, 3, 4}, requires_grad};
    auto y = ctgrad::at(M, 1, 0) + ctgrad::at(M * M, 0L, 1LL);
    const double v = y.backward();
    return v == 7.0 && M.grad() == m22{0, 4, 1, 0};
}());

// stack(x0 * x1, x0 + x1, 2) at (x0, x1) = (3, 4) is [12, 7, 2]; with seed [1, 10, 100]:
// d/dx0 = 1 * x1 + 10 = 14, d/dx1 = 1 * x0 + 10 = 13.
static_assert([] {
    leaf x0{3.0, requires_grad};
    leaf x1{4.0, requires_grad};
    auto v = ctgrad::stack(x0 * x1, x0 + x1, 2);
    const auto val = v.backward(tensor{1.0, 10.0, 100.0});
    return val == tensor{12.0, 7.0, 2.0} && x0.grad() == 14.0 && x1.grad() == 13.0;
}());

// Indexing and stacking compose: reversing [1, 2, 3] through stack, then dotting with [1, 2, 4]:
// [3, 2, 1] . [1, 2, 4] = 3 + 4 + 4 = 11; d/dx = reverse of [1, 2, 4] = [4, 2, 1].
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto r = ctgrad::stack(ctgrad::at(x, 2), ctgrad::at(x, 1), ctgrad::at(x, 0));
    auto y = ctgrad::dot(r, tensor{1.0, 2.0, 4.0});
    const double v = y.backward();
    return v == 11.0 && x.grad() == tensor{4.0, 2.0, 1.0};
}());

// Eager indexing and stack.
static_assert(ctgrad::at(m23{1, 2, 3, 4, 5, 6}, 1, 2) == 6.0);
static_assert(ctgrad::stack(1.0, 2, 3.5f) == tensor{1.0, 2.0, 3.5});

// ---- reductions inside let ------------------------------------------------------------------
// let(x * 2, h -> sum(h * h) + dot(h, h)) at x = [1, 2]: h = [2, 4], f = 2 sum(h^2) = 40;
// df/dh = 4h = [8, 16] and dh/dx = 2, so df/dx = [16, 32].
static_assert([] {
    leaf x{tensor{1.0, 2.0}, requires_grad};
    auto f = ctgrad::let(x * 2.0, [](auto h) { return ctgrad::sum(h * h) + ctgrad::dot(h, h); });
    const double v = f.backward();
    return v == 40.0 && x.grad() == tensor{16.0, 32.0};
}());

// ---- eager reductions -------------------------------------------------------------------------
static_assert(ctgrad::sum(m23{1, 2, 3, 4, 5, 6}) == 21.0);
static_assert(ctgrad::mean(tensor{1.0, 2.0, 3.0, 6.0}) == 3.0);
static_assert(ctgrad::dot(tensor{1.0, 2.0}, tensor{3.0, 4.0}) == 11.0);
static_assert(ctgrad::sum(2.5) == 2.5);
