#include <ctgrad/ctgrad.hpp>

#include <array>
// Leaves as identities in constant evaluation: default construction holds zeros, arrays of leaves
// are set and differentiated in place, and a factory returns a leaf as a prvalue.
static_assert([] {
    ctgrad::leaf<double, true> x;
    return x.value() == 0.0 && x.grad() == 0.0;
}());
// y = p0^2 p1 at (3, -2): dy/dp0 = 2 p0 p1 = -12, dy/dp1 = p0^2 = 9
static_assert([] {
    std::array<ctgrad::leaf<double, true>, 2> p{};
    p[0].value() = 3.0;
    p[1].value() = -2.0;
    auto y = p[0] * p[0] * p[1];
    y.backward();
    return p[0].grad() == -12.0 && p[1].grad() == 9.0;
}());
constexpr auto make_leaf(double v) { return ctgrad::leaf{v, ctgrad::requires_grad}; }
static_assert([] {
    auto x = make_leaf(1.25);
    auto y = x * x;  // dy/dx = 2.5
    y.backward();
    return x.grad();
}() == 2.5);
// Rows in constant evaluation: y = sum(W[1] * W[1]) on a 2 x 2 leaf; dy/dW = (0, 0, 2 W10, 2 W11)
static_assert([] {
    ctgrad::leaf W{ctgrad::tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0}, ctgrad::requires_grad};
    auto y = ctgrad::sum(W[1] * W[1]);
    return y.backward() == 25.0 && W.grad() == ctgrad::tensor<double, 2, 2>{0.0, 0.0, 6.0, 8.0};
}());
