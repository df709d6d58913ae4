// The functional layer in constant evaluation. Expected values derived by hand.
#include <ctgrad/ctgrad.hpp>

#include <utility>

using ctgrad::tensor;

// PyTorch's create_graph vectors: y = x^3 at 3: y' = 27, y'' = 18, y''' = 6.
constexpr auto cube = [](auto x) { return x * x * x; };
static_assert(ctgrad::grad(cube)(3.0) == 27.0);
static_assert(ctgrad::grad(ctgrad::grad(cube))(3.0) == 18.0);
static_assert(ctgrad::grad(ctgrad::grad(ctgrad::grad(cube)))(3.0) == 6.0);

// z = x^2 + xy + y^2 at (1, 2): dz/dx = 2x + y = 4, dz/dy = x + 2y = 5.
constexpr auto z = [](auto x, auto y) { return x * x + x * y + y * y; };
static_assert([] {
    auto [gx, gy] = ctgrad::grad<0, 1>(z)(1.0, 2.0);
    return gx == 4.0 && gy == 5.0;
}());
// Its Hessian is [[2, 1], [1, 2]]; Hessian-vector products by forward over reverse:
// d/dx of (dz/dx, dz/dy) = (2, 1), d/dy of them = (1, 2).
static_assert(ctgrad::grad<0>(ctgrad::grad<0>(z))(1.0, 2.0) == 2.0);
static_assert(ctgrad::grad<1>(ctgrad::grad<0>(z))(1.0, 2.0) == 1.0);
static_assert(ctgrad::grad<1>(ctgrad::grad<1>(z))(1.0, 2.0) == 2.0);
// The same Hessian from hessian() on a vector argument: f(v) = v0^2 + v0 v1 + v1^2 written
// with dot-free elementwise ops: sum is not needed since jacobian of stack is tested below.
static_assert(ctgrad::hessian([](auto v) { return v * v * v; })(3.0) == 18.0);

// value_and_grad returns (value, gradient); an argument f ignores gets zeros.
static_assert(ctgrad::value_and_grad([](auto x) { return x * x; })(3.0) == std::pair{9.0, 6.0});
static_assert(ctgrad::grad<1>([](auto x, auto) { return x * x; })(3.0, 2.0) == 0.0);
// f may return one of its handles, or a constant.
static_assert(ctgrad::grad([](auto x) { return x; })(3.0) == 1.0);
static_assert(ctgrad::value_and_grad([](auto) { return 5.0; })(3.0) == std::pair{5.0, 0.0});

// JAX docstring vectors: grad(tanh)(0.2) = 1 - tanh(0.2)^2 = 0.9610429829661166;
// jvp(sin, (0.1,), (0.2,)) = (sin 0.1, 0.2 cos 0.1) = (0.09983341664682815, 0.19900083305560516).
constexpr bool near(double a, double b) { return (a - b < 1e-15) && (b - a < 1e-15); }
static_assert(near(ctgrad::grad([](auto x) { return tanh(x); })(0.2), 0.9610429829661166));
static_assert([] {
    auto [y, t] = ctgrad::jvp([](auto x) { return sin(x); }, std::tuple{0.1}, std::tuple{0.2});
    return near(y, 0.09983341664682815) && near(t, 0.19900083305560516);
}());

// Jacobian of an elementwise map: diag(2x) at [1, 2]; shape is result shape then argument shape.
static_assert(ctgrad::jacobian([](auto x) { return x * x; })(tensor{1.0, 2.0}) ==
              tensor<double, 2, 2>{2.0, 0.0, 0.0, 4.0});
// Scalar result: the jacobian is the gradient.
static_assert(ctgrad::jacobian([](auto x) { return x * x; })(3.0) == 6.0);

// vjp: f(x, w) = x w at (3, 4) with cotangent 2: (2w, 2x) = (8, 6).
static_assert([] {
    auto [v, fn] = ctgrad::vjp([](auto x, auto w) { return x * w; }, 3.0, 4.0);
    auto [gx, gw] = fn(2.0);
    return v == 12.0 && gx == 8.0 && gw == 6.0;
}());

// dual<T>: forward mode by hand: (x^2)' at 3 with tangent 1 is 6.
static_assert([] {
    constexpr ctgrad::dual<double> x{3.0, 1.0};
    constexpr auto y = x * x + 1.0;
    return y.v == 10.0 && y.d == 6.0;
}());

// Hessian of x0^3 - 2 x0 x1 - x1^6 at [1, 2]: [[6x0, -2], [-2, -30 x1^4]] = [[6, -2], [-2, -480]].
static_assert(ctgrad::hessian([](auto x) {
                  return ctgrad::pow<3>(x[0]) - 2.0 * x[0] * x[1] - ctgrad::pow<6>(x[1]);
              })(tensor{1.0, 2.0}) == tensor<double, 2, 2>{6.0, -2.0, -2.0, -480.0});
// Jacobian of a vector function assembled with stack: f(x) = [x0 x1, x0 + x1^2] at [2, 3]:
// [[x1, x0], [1, 2 x1]] = [[3, 2], [1, 6]].
static_assert(ctgrad::jacobian([](auto x) { return ctgrad::stack(x[0] * x[1], x[0] + x[1] * x[1]); })(
                  tensor{2.0, 3.0}) == tensor<double, 2, 2>{3.0, 2.0, 1.0, 6.0});
// Gradient of a reduction through the functional API: d/dx sum(x^2) = 2x.
static_assert(ctgrad::grad([](auto x) { return ctgrad::sum(x * x); })(tensor{1.0, -2.0}) ==
              tensor{2.0, -4.0});
