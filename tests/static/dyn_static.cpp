// Run-time-length tensors (tensor<T, ctgrad::dyn>) and views in constant evaluation: values,
// shape rules, elementwise operations with broadcasting, reductions and gradients. Compiling
// this file is passing. Inputs are chosen so that every result is exact in binary floating point.
#include <ctgrad/ctgrad.hpp>

#include <span>
#include <type_traits>
#include <vector>

using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using vec = tensor<double, dyn>;
namespace cd = ctgrad::detail;

// ---- types and deduction -----------------------------------------------------------------------
static_assert(std::is_same_v<decltype(tensor{std::vector<double>{1.0}}), vec>);
static_assert(std::is_same_v<decltype(tensor{std::span<const double>{}}), vec>);
static_assert(std::is_same_v<decltype(tensor{1.0, 2.0}), tensor<double, 2>>);  // unchanged
static_assert(std::is_same_v<cd::shape_of<vec>, cd::extents<dyn>>);
static_assert(std::is_same_v<ctgrad::value_t<leaf<vec, true>>, vec>);

// ---- shape rules: dyn with a scalar, a one-element or a fixed rank-1 shape gives dyn ----------
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn>, cd::extents<>>, cd::extents<dyn>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<1>, cd::extents<dyn>>, cd::extents<dyn>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn>, cd::extents<3>>, cd::extents<dyn>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn>, cd::extents<dyn>>, cd::extents<dyn>>);
static_assert(!cd::broadcastable_v<cd::extents<dyn>, cd::extents<2, 3>>);  // dyn is the rows only

// ---- the value ---------------------------------------------------------------------------------
static_assert(vec{}.size() == 0);
static_assert(vec{1.0, 2.0, 3.0}.size() == 3 && vec{1.0, 2.0, 3.0}[2] == 3.0);
static_assert(vec{1.0, 2.0, 3.0}.shape()[0] == 3);
static_assert(vec::zeros(4) == vec{0.0, 0.0, 0.0, 0.0});
static_assert(vec{std::vector<double>{1.0, 2.0}} == vec{1.0, 2.0});
static_assert(vec{1.0, 2.0} != vec{1.0, 2.0, 0.0});  // lengths differ
static_assert([] {
    const double d[] = {5.0, 6.0};
    vec t{std::span<const double>(d)};
    double s = 0;
    for (double x : t) s += x;
    t[0] = 1.0;
    return s + t[0];
}() == 12.0);

// ---- eager arithmetic and reductions ----------------------------------------------------------
static_assert(vec{1.0, 2.0} + vec{3.0, 4.0} == vec{4.0, 6.0});
static_assert(2.0 * vec{1.0, 2.0} - 1.0 == vec{1.0, 3.0});
static_assert(vec{1.0, 2.0} * tensor{3.0, 4.0} == vec{3.0, 8.0});  // dyn with fixed: dyn
static_assert(vec{1.0, 2.0} / tensor{2.0} == vec{0.5, 1.0});       // one element broadcasts
static_assert(-vec{1.0, -2.0} == vec{-1.0, 2.0});
static_assert(ctgrad::sum(vec{1.0, 2.0, 3.0}) == 6.0);
static_assert(ctgrad::mean(vec{1.0, 2.0, 3.0}) == 2.0);
static_assert(ctgrad::norm(vec{3.0, 4.0}) == 5.0);
static_assert(ctgrad::dot(vec{1.0, 2.0}, vec{3.0, 4.0}) == 11.0);
static_assert(ctgrad::dot(vec{1.0, 2.0}, tensor{3.0, 4.0}) == 11.0);

// ---- gradients ----------------------------------------------------------------------------------
// dyn values enter these expressions as lvalue leaves (held by pointer). A plain dyn tensor
// copied into an expression as a constant works at run time and with Clang, but not in constant
// evaluation with GCC 12: GCC rejects copy-constructing a std::array whose elements own
// allocations ("use of allocated storage after deallocation"), and expression stores are such
// arrays. Fixed-shape constants are unaffected (see the `x * tensor{2.0, 5.0}` case below).
// y = x^2 + 2x, seed 1: dy/dx = 2x + 2.
static_assert([] {
    leaf x{vec{1.0, 2.0, 3.0}, requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    const vec v = y.backward(vec{1.0, 1.0, 1.0});
    return v == vec{3.0, 8.0, 15.0} && x.grad() == vec{4.0, 6.0, 8.0};
}());
// A scalar parameter broadcast over a dyn data leaf: d/dw sum(w * y) = sum(y).
static_assert([] {
    leaf y{vec{1.0, 2.0, 4.0}};
    leaf w{3.0, requires_grad};
    auto l = ctgrad::sum(w * y);
    const double v = l.backward();
    return v == 21.0 && w.grad() == 7.0;
}());
// The acceptance case: log-likelihood of y ~ N(mu, sigma), mu = 1, sigma = 2, y = {1, 2, 4}:
// d/dmu = sum(y - mu) / sigma^2 = (0 + 1 + 3) / 4 = 1,
// d/dsigma = sum((y - mu)^2) / sigma^3 - N / sigma = (0 + 1 + 9) / 8 - 3 / 2 = -0.25.
static_assert([] {
    leaf y{vec{1.0, 2.0, 4.0}};
    leaf mu{1.0, requires_grad};
    leaf sigma{2.0, requires_grad};
    auto l = ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - 3 * ctgrad::log(sigma);
    l.backward();
    return mu.grad() == 1.0 && sigma.grad() == -0.25;
}());
// mean, norm and dot over dyn parameters: x = {0, 4}, data c = {1, 2}.
// d mean/dx = 1/2; d norm/dx = x / 4 = {0, 1}; d dot(x, c)/dx = c.
static_assert([] {
    leaf x{vec{0.0, 4.0}, requires_grad};
    leaf c{vec{1.0, 2.0}};
    auto l = ctgrad::mean(x) + ctgrad::norm(x) + ctgrad::dot(x, c);
    const double v = l.backward();
    return v == 2.0 + 4.0 + 8.0 && x.grad() == vec{1.5, 3.5};
}());
// a dyn parameter with a fixed constant operand, and indexing: d/dx sum(x * c) + x[1] = c + e1.
static_assert([] {
    leaf x{vec{3.0, 4.0}, requires_grad};
    auto l = ctgrad::sum(x * tensor{2.0, 5.0}) + x[1];
    l.backward();
    return x.grad() == vec{2.0, 6.0};
}());
// zero_grad keeps the length; gradients accumulate over calls.
static_assert([] {
    leaf x{vec{1.0, 2.0}, requires_grad};
    auto l = ctgrad::sum(x);
    l.backward();
    l.backward();
    const bool twice = x.grad() == vec{2.0, 2.0};
    x.zero_grad();
    return twice && x.grad() == vec{0.0, 0.0};
}());
// A view as data: no copy, read-only, usable as a leaf value without grad.
static_assert([] {
    const double d[] = {1.0, 2.0, 4.0};
    leaf y{ctgrad::view(std::span<const double>(d))};
    leaf w{2.0, requires_grad};
    auto l = ctgrad::sum(w * y * y);
    const double v = l.backward();
    return v == 42.0 && w.grad() == 21.0;
}());

int main() {}
