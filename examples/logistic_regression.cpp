// Logistic regression on run-time rows: X is a data matrix of n rows x 4 features
// (ctgrad::view<4>, no copy), the model p = sigmoid(X w + b) with `matmul`, the loss the mean
// binary cross-entropy written stably as softplus(z) - y z, trained with ctgrad::optim::adam.
// The data are generated here, deterministically, from known weights plus label noise. Before
// training the gradient is checked against central finite differences of the loss; after it the
// loss must have fallen and most rows must be classified right.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <vector>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

namespace {

constexpr std::size_t features = 4;

// A small deterministic generator (64-bit LCG), uniform in [-1, 1).
struct lcg {
    std::uint64_t s = 0x2545F4914F6CDD1Dull;
    double next() {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(s >> 11) * (2.0 / 9007199254740992.0) - 1.0;
    }
};

struct dataset {
    std::vector<double> x;  // n x features, row-major
    std::vector<double> y;  // n labels in {0, 1}
};

// Labels from the rule x . (1.5, -2, 0.5, 1) - 0.3 > 0, with one row in ten flipped.
dataset make_data(std::size_t n) {
    const double w_true[features] = {1.5, -2.0, 0.5, 1.0};
    lcg g;
    dataset d;
    for (std::size_t i = 0; i < n; ++i) {
        double z = -0.3;
        for (std::size_t k = 0; k < features; ++k) {
            d.x.push_back(g.next());
            z += w_true[k] * d.x.back();
        }
        const bool flip = g.next() > 0.8;
        d.y.push_back((z > 0) != flip ? 1.0 : 0.0);
    }
    return d;
}

// The parameters and the data; loss() builds the loss expression from them. Not copyable (it
// holds leaves), so no copy can collect gradients the optimizer never sees.
struct model {
    leaf<ctgrad::view_t<double, features>> x;
    leaf<ctgrad::view_t<double>> y;
    leaf<tensor<double, features>, true> w{tensor<double, features>{}, requires_grad};
    leaf<double, true> b{0.0, requires_grad};

    explicit model(const dataset& d)
        : x{ctgrad::view<features>(d.x)}, y{ctgrad::view(std::span<const double>(d.y))} {}

    // mean over the rows of softplus(z) - y z, z = X w + b (z shared by both terms)
    auto loss() {
        return ctgrad::let(ctgrad::matmul(x, w) + b,
                           [this](auto z) { return ctgrad::mean(ctgrad::softplus(z) - y * z); });
    }
};

// Largest relative difference between the gradient and central differences of the loss.
double fd_error(model& m) {
    m.w.zero_grad();
    m.b.zero_grad();
    m.loss().backward();
    const double h = 1e-6;
    auto central = [&](double& p) {
        const double saved = p;
        p = saved + h;
        const double up = m.loss().value();
        p = saved - h;
        const double down = m.loss().value();
        p = saved;
        return (up - down) / (2 * h);
    };
    auto rel = [](double fd, double g) { return std::fabs(fd - g) / std::fmax(1e-8, std::fabs(fd)); };
    double worst = rel(central(m.b.value()), m.b.grad());
    for (std::size_t k = 0; k < features; ++k)
        worst = std::fmax(worst, rel(central(m.w.value()[k]), m.w.grad()[k]));
    return worst;
}

}  // namespace

// In constant evaluation too: two rows [1, 2], [3, 4], labels 1, 0, at w = 0, b = 0 every p is
// 1/2, so dL/dw = mean((1/2 - y) x) = ((-1/2 + 3/2) / 2, (-1 + 2) / 2) = (1/2, 1/2) (by hand).
static_assert([] {
    const double xs[] = {1.0, 2.0, 3.0, 4.0};
    const double ys[] = {1.0, 0.0};
    leaf x{ctgrad::view<2>(std::span<const double>(xs))};
    leaf y{ctgrad::view(std::span<const double>(ys))};
    leaf w{tensor{0.0, 0.0}, requires_grad};
    leaf b{0.0, requires_grad};
    auto loss = ctgrad::let(ctgrad::matmul(x, w) + b,
                            [&y](auto z) { return ctgrad::mean(ctgrad::softplus(z) - y * z); });
    loss.backward();
    return w.grad() == tensor{0.5, 0.5} && b.grad() == 0.0;
}());

int main() {
    const dataset d = make_data(1000);
    model m{d};

    // a point away from the optimum, where every partial is non-zero
    m.w.value() = tensor{0.3, -0.2, 0.1, 0.4};
    m.b.value() = 0.05;
    const double err = fd_error(m);
    std::printf("gradient vs central differences: largest relative error %.2e\n", err);
    if (!(err < 1e-6)) return 1;

    m.w.value() = tensor<double, features>{};
    m.b.value() = 0.0;
    auto loss = m.loss();
    const double first = loss.value();
    ctgrad::optim::adam opt{ctgrad::params(m.w, m.b), {.lr = 0.1}};
    double last = first;
    for (int step = 0; step < 300; ++step) {
        opt.zero_grad();
        last = loss.backward();
        opt.step();
    }

    std::size_t correct = 0;
    for (std::size_t i = 0; i < d.y.size(); ++i) {
        double z = m.b.value();
        for (std::size_t k = 0; k < features; ++k) z += d.x[i * features + k] * m.w.value()[k];
        correct += (z > 0) == (d.y[i] > 0.5);
    }
    std::printf("loss %.4f -> %.4f, accuracy %zu/%zu, w = [%.2f, %.2f, %.2f, %.2f], b = %.2f\n", first,
                last, correct, d.y.size(), m.w.value()[0], m.w.value()[1], m.w.value()[2], m.w.value()[3],
                m.b.value());
    // 10% of the labels are flipped: about 90% is the best a linear rule can do
    return (last < 0.8 * first && correct >= 850) ? 0 : 1;
}
