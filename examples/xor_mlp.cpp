// A 2-4-1 multilayer perceptron learns XOR with ctgrad::optim::sgd (momentum 0.9), the loop of
// torch.optim: zero_grad, backward, step. The model is a struct holding its parameters, whose
// loss() builds the loss expression from them (no decltype, and the struct cannot be copied, so
// no copy can write into its gradients). Before training, the gradient is checked against central
// finite differences of the loss; after it, the four predictions must be right.
#include <ctgrad/ctgrad.hpp>

#include <array>
#include <cmath>
#include <cstdio>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

namespace {

constexpr std::array<tensor<double, 2>, 4> inputs{{{0.0, 0.0}, {0.0, 1.0}, {1.0, 0.0}, {1.0, 1.0}}};
constexpr std::array<double, 4> targets{0.0, 1.0, 1.0, 0.0};

struct mlp {
    // small fixed initial weights (what a seeded random initialisation would give)
    leaf<tensor<double, 4, 2>, true> w1{tensor<double, 4, 2>{0.5, -0.4, -0.3, 0.6, 0.7, 0.2, -0.6, -0.5}, requires_grad};
    leaf<tensor<double, 4>, true> b1{tensor{0.1, -0.1, 0.0, 0.2}, requires_grad};
    leaf<tensor<double, 4>, true> w2{tensor{0.4, -0.6, 0.5, -0.3}, requires_grad};
    leaf<double, true> b2{0.0, requires_grad};

    // the network's output for one input: sigmoid(w2 . tanh(w1 x + b1) + b2)
    auto forward(const tensor<double, 2>& x) {
        return ctgrad::sigmoid(ctgrad::dot(w2, ctgrad::tanh(ctgrad::matmul(w1, x) + b1)) + b2);
    }
    // mean squared error over the four points
    auto loss() {
        auto sq = [](auto e) { return e * e; };
        return (sq(forward(inputs[0]) - targets[0]) + sq(forward(inputs[1]) - targets[1]) +
                sq(forward(inputs[2]) - targets[2]) + sq(forward(inputs[3]) - targets[3])) / 4.0;
    }
};

// Largest relative difference between the gradient of `leaf` and central differences of the loss.
template <class Leaf>
double fd_error(mlp& m, Leaf& p) {
    double worst = 0.0;
    const auto analytic = p.grad();
    for (std::size_t i = 0; i < analytic.size(); ++i) {
        const double h = 1e-6;
        const double saved = p.value().elems[i];
        p.value().elems[i] = saved + h;
        const double up = m.loss().value();
        p.value().elems[i] = saved - h;
        const double down = m.loss().value();
        p.value().elems[i] = saved;
        const double fd = (up - down) / (2 * h);
        worst = std::fmax(worst, std::fabs(fd - analytic.elems[i]) / std::fmax(1e-8, std::fabs(fd)));
    }
    return worst;
}

}  // namespace

int main() {
    mlp m;
    {
        auto loss = m.loss();
        loss.backward();
        const double h = 1e-6, saved = m.b2.value();
        m.b2.value() = saved + h;
        const double up = m.loss().value();
        m.b2.value() = saved - h;
        const double down = m.loss().value();
        m.b2.value() = saved;
        const double b2_error = std::fabs((up - down) / (2 * h) - m.b2.grad()) /
                                std::fmax(1e-8, std::fabs((up - down) / (2 * h)));
        const double worst = std::fmax(std::fmax(fd_error(m, m.w1), fd_error(m, m.b1)),
                                       std::fmax(fd_error(m, m.w2), b2_error));
        std::printf("gradient vs central differences: largest relative error %.2e\n", worst);
        if (!(worst < 1e-6)) return 1;
    }

    ctgrad::optim::sgd opt{ctgrad::params(m.w1, m.b1, m.w2, m.b2), {.lr = 0.5, .momentum = 0.9}};
    const double first = m.loss().value();
    auto loss = m.loss();  // refers to m's leaves: each backward() sees the updated values
    double last = first;
    for (int epoch = 0; epoch < 2000; ++epoch) {
        opt.zero_grad();
        last = loss.backward();
        opt.step();
    }
    std::printf("loss %.4f -> %.6f\n", first, last);
    int right = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const double p = m.forward(inputs[k]).value();
        std::printf("xor(%g, %g) = %.3f (target %g)\n", inputs[k][0], inputs[k][1], p, targets[k]);
        right += (p > 0.5) == (targets[k] > 0.5);
    }
    return right == 4 && last < 0.02 ? 0 : 1;
}
