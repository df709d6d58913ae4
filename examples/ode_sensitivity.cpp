// Sensitivity of an ODE's end state to its parameters, through a loop with a run-time count.
//
// A damped oscillator x'' = -w^2 x - 2 z w x', integrated with explicit Euler over n steps
// (n chosen at run time), state s = (x, v). ctgrad::fori_loop stores the n states and runs the
// step's derivative n times, last first; the gradient of the final position with respect to
// (w, z) is checked against central finite differences.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>

using ctgrad::tensor;

template <class W, class Z>
constexpr auto final_position(W& w, Z& z, std::size_t n, double h) {
    auto end = ctgrad::fori_loop(n, tensor{1.0, 0.0}, [&w, &z, h](auto s) {
        return ctgrad::stack(s[0] + h * s[1], s[1] - h * (w * w * s[0] + 2.0 * z * w * s[1]));
    });
    return end;
}

// Three Euler steps with h = 1/2, w = 1, z = 0 by hand: (1,0) -> (1,-1/2) -> (3/4,-1) -> (1/4,-11/8).
// dx3/dw at w = 1, z = 0 is -3/2 (differentiate the recurrence by hand), checked at compile time.
static_assert([] {
    ctgrad::leaf w{1.0, ctgrad::requires_grad};
    ctgrad::leaf z{0.0, ctgrad::requires_grad};
    auto end = final_position(w, z, 3, 0.5);
    const auto s = end.backward(tensor{1.0, 0.0});
    return s == tensor{0.25, -1.375} && w.grad() == -1.5;
}());

double plain_final_position(double w, double z, std::size_t n, double h) {
    double x = 1.0, v = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        const double xn = x + h * v;
        v = v - h * (w * w * x + 2.0 * z * w * v);
        x = xn;
    }
    return x;
}

int main(int argc, char**) {
    const std::size_t n = 500 + static_cast<std::size_t>(argc);  // a count known only at run time
    const double h = 0.01, w0 = 2.0, z0 = 0.1;
    ctgrad::leaf w{w0, ctgrad::requires_grad};
    ctgrad::leaf z{z0, ctgrad::requires_grad};
    auto end = final_position(w, z, n, h);
    const auto s = end.backward(tensor{1.0, 0.0});  // seed selects x(T)

    const double eps = 1e-6;
    const double fd_w = (plain_final_position(w0 + eps, z0, n, h) - plain_final_position(w0 - eps, z0, n, h)) / (2 * eps);
    const double fd_z = (plain_final_position(w0, z0 + eps, n, h) - plain_final_position(w0, z0 - eps, n, h)) / (2 * eps);
    std::cout << "x(T) = " << s[0] << "  dx/dw = " << w.grad() << " (finite differences " << fd_w
              << ")  dx/dz = " << z.grad() << " (finite differences " << fd_z << ")\n";
    const bool ok = std::abs(s[0] - plain_final_position(w0, z0, n, h)) < 1e-12 &&
                    std::abs(w.grad() - fd_w) < 1e-6 * (1 + std::abs(fd_w)) &&
                    std::abs(z.grad() - fd_z) < 1e-6 * (1 + std::abs(fd_z));
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
