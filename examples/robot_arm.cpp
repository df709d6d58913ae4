// Inverse kinematics of a two-link planar arm: find joint angles q whose end effector reaches a
// target, by Newton iterations q <- q - J(q)^-1 (p(q) - target) with J = ctgrad::jacobian.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>

using ctgrad::tensor;

constexpr double l1 = 1.0, l2 = 0.75;

// End effector position for joint angles q = (q1, q2).
constexpr auto end_effector = [](auto q) {
    return ctgrad::stack(l1 * cos(q[0]) + l2 * cos(q[0] + q[1]), l1 * sin(q[0]) + l2 * sin(q[0] + q[1]));
};

// At q = (0, 0) the arm is stretched along x: J = [[0, 0], [l1 + l2, l2]] (by hand).
static_assert(ctgrad::jacobian(end_effector)(tensor{0.0, 0.0}) == tensor<double, 2, 2>{0.0, 0.0, 1.75, 0.75});

int main() {
    const tensor<double, 2> target{0.9, 0.8};
    tensor<double, 2> q{0.3, 0.6};
    for (int k = 0; k < 30; ++k) {
        const tensor<double, 2> e = end_effector(q) - target;  // on plain values: eager
        const auto J = ctgrad::jacobian(end_effector)(q);
        const double det = J(0, 0) * J(1, 1) - J(0, 1) * J(1, 0);
        q = tensor<double, 2>{q[0] - (J(1, 1) * e[0] - J(0, 1) * e[1]) / det,
                              q[1] - (-J(1, 0) * e[0] + J(0, 0) * e[1]) / det};
    }
    const double x = l1 * std::cos(q[0]) + l2 * std::cos(q[0] + q[1]);
    const double y = l1 * std::sin(q[0]) + l2 * std::sin(q[0] + q[1]);
    std::cout << "joint angles " << q << " reach (" << x << ", " << y << ")\n";
    return (std::abs(x - target[0]) < 1e-12 && std::abs(y - target[1]) < 1e-12) ? EXIT_SUCCESS : EXIT_FAILURE;
}
