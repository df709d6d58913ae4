// Newton's method on the Rosenbrock function with ctgrad::grad and ctgrad::hessian:
// x <- x - H(x)^-1 g(x), converging to the minimum at (1, 1).
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>

using ctgrad::tensor;

constexpr auto rosen = [](auto v) {
    return ctgrad::pow<2>(1.0 - v[0]) + 100.0 * ctgrad::pow<2>(v[1] - v[0] * v[0]);
};

constexpr tensor<double, 2> newton_step(const tensor<double, 2>& x) {
    const auto g = ctgrad::grad(rosen)(x);
    const auto H = ctgrad::hessian(rosen)(x);
    const double det = H(0, 0) * H(1, 1) - H(0, 1) * H(1, 0);
    return {x[0] - (H(1, 1) * g[0] - H(0, 1) * g[1]) / det,
            x[1] - (-H(1, 0) * g[0] + H(0, 0) * g[1]) / det};
}

// The Hessian at (1, 1) is [[802, -400], [-400, 200]] (by hand), and a Newton step from the
// minimum stays there: both checked at compile time.
static_assert(ctgrad::hessian(rosen)(tensor{1.0, 1.0}) == tensor<double, 2, 2>{802.0, -400.0, -400.0, 200.0});
static_assert(newton_step(tensor{1.0, 1.0}) == tensor{1.0, 1.0});

int main() {
    tensor<double, 2> x{-1.2, 1.0};
    int k = 0;
    for (; k < 50 && (std::abs(x[0] - 1) > 1e-12 || std::abs(x[1] - 1) > 1e-12); ++k) x = newton_step(x);
    std::cout << "Newton reached " << x << " in " << k << " steps\n";
    return (std::abs(x[0] - 1) <= 1e-12 && std::abs(x[1] - 1) <= 1e-12) ? EXIT_SUCCESS : EXIT_FAILURE;
}
