// Data matrices of run-time rows (tensor<T, ctgrad::dyn, C...> and ctgrad::view<C...>): the
// shapes of results, and values and gradients in constant evaluation (transient allocation).
// Compiling this file is passing. Inputs are chosen so that every result is exact.
#include <ctgrad/ctgrad.hpp>

#include <span>
#include <type_traits>
#include <vector>

using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using mat2 = tensor<double, dyn, 2>;
using mat3 = tensor<double, dyn, 3>;
namespace cd = ctgrad::detail;

// ---- types -------------------------------------------------------------------------------------
static_assert(std::is_same_v<cd::shape_of<mat2>, cd::extents<dyn, 2>>);
static_assert(std::is_same_v<cd::shape_of<ctgrad::view_t<double, 2>>, cd::extents<dyn, 2>>);
static_assert(std::is_same_v<decltype(ctgrad::view<2>(std::span<const double>{})), ctgrad::view_t<double, 2>>);
static_assert(mat2::rank == 2 && tensor<double, dyn, 2, 3>::rank == 3 && tensor<double, dyn, 2, 3>::row_size == 6);
static_assert(std::is_same_v<mat3::row_type, tensor<double, 3>>);
static_assert(std::is_same_v<decltype(ctgrad::ones_like(ctgrad::view<2>(std::span<const double>{}))), mat2>);

// ---- shape rules: fixed rows broadcast over run-time rows; dyn is the first extent only ---------
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 3>, cd::extents<3>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<3>, cd::extents<dyn, 3>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 3>, cd::extents<>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 1>, cd::extents<3>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 3>, cd::extents<1, 3>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 3>, cd::extents<4, 3>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 3>, cd::extents<dyn, 1>>, cd::extents<dyn, 3>>);
static_assert(std::is_same_v<cd::broadcast_t<cd::extents<dyn, 2, 3>, cd::extents<2, 1>>, cd::extents<dyn, 2, 3>>);
static_assert(!cd::broadcastable_v<cd::extents<dyn, 3>, cd::extents<2>>);      // 3 vs 2
static_assert(!cd::broadcastable_v<cd::extents<dyn, 3>, cd::extents<dyn>>);    // dyn meets 3
static_assert(!cd::broadcastable_v<cd::extents<dyn>, cd::extents<1, 3>>);      // dyn meets 3

// ---- results of expressions --------------------------------------------------------------------
using X = leaf<ctgrad::view_t<double, 3>>;
using W = leaf<tensor<double, 3>, true>;
using M = leaf<tensor<double, 3, 4>, true>;
using B = leaf<double, true>;
static_assert(std::is_same_v<ctgrad::value_t<decltype(std::declval<X&>() * std::declval<W&>())>, mat3>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::matmul(std::declval<X&>(), std::declval<W&>()))>,
                             tensor<double, dyn>>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::matmul(std::declval<X&>(), std::declval<M&>()))>,
                             tensor<double, dyn, 4>>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(std::declval<X&>()[0])>, tensor<double, 3>>);
static_assert(std::is_same_v<ctgrad::value_t<decltype(ctgrad::sum(std::declval<X&>() + std::declval<B&>()))>, double>);
static_assert(ctgrad::requires_grad_v<decltype(ctgrad::mean(std::declval<X&>() * std::declval<W&>()))>);

// ---- values in constant evaluation ------------------------------------------------------------
static_assert([] {
    mat2 x{std::vector{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}};
    return x.rows() == 3 && x(2, 1) == 6.0 && x[1] == tensor{3.0, 4.0} && x.shape()[1] == 2;
}());
static_assert(mat3::zeros(2) == mat3{std::vector{0.0, 0.0, 0.0, 0.0, 0.0, 0.0}});
static_assert([] {
    mat2 x{std::vector{1.0, 2.0, 3.0, 4.0}};
    return x + tensor{10.0, 20.0} == mat2{std::vector{11.0, 22.0, 13.0, 24.0}} &&
           x * mat2{std::vector{2.0, 0.5}} == mat2{std::vector{2.0, 1.0, 6.0, 2.0}} &&  // one row
           ctgrad::matmul(x, tensor{1.0, 1.0}) == tensor{std::vector{3.0, 7.0}};
}());
static_assert([] {
    const double d[] = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
    const auto v = ctgrad::view<3>(std::span<const double>(d));
    return v.rows() == 2 && v(1, 0) == 4.0 && v[1] == tensor{4.0, 5.0, 6.0};
}());

// ---- gradients in constant evaluation ---------------------------------------------------------
// f = mean((X w + b)^2) over X = [[1, 2], [3, 4]], w = (1, -1), b = 0.5: z = (-0.5, -0.5),
// f = 0.25, df/dw = mean(2 z x) = (-2, -3), df/db = mean(2 z) = -1 (by hand).
static_assert([] {
    const double d[] = {1.0, 2.0, 3.0, 4.0};
    leaf x{ctgrad::view<2>(std::span<const double>(d))};
    leaf w{tensor{1.0, -1.0}, requires_grad};
    leaf b{0.5, requires_grad};
    auto z = ctgrad::matmul(x, w) + b;
    auto f = ctgrad::mean(z * z);
    return f.backward() == 0.25 && w.grad() == tensor{-2.0, -3.0} && b.grad() == -1.0;
}());
// f = sum(X * X * r) with r one run-time row (1, 2): df/dX = 2 X r, df/dr = column sums of X^2
static_assert([] {
    leaf x{mat2{std::vector{1.0, 2.0, 3.0, 4.0}}, requires_grad};
    leaf r{mat2{std::vector{1.0, 2.0}}, requires_grad};
    auto f = ctgrad::sum(x * x * r);
    return f.backward() == 1.0 + 8.0 + 9.0 + 32.0 && x.grad() == mat2{std::vector{2.0, 8.0, 6.0, 16.0}} &&
           r.grad() == mat2{std::vector{10.0, 20.0}};
}());
// a row of a matrix leaf: the gradient flows into that row only
static_assert([] {
    leaf x{mat2{std::vector{1.0, 2.0, 3.0, 4.0}}, requires_grad};
    auto f = ctgrad::sum(x[1] * x[1]);
    return f.backward() == 25.0 && x.grad() == mat2{std::vector{0.0, 0.0, 6.0, 8.0}};
}());

int main() {}
