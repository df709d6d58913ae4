// Logistic regression on two shipped Gaussian blobs: p = sigmoid(w0 f0 + w1 f1 + b), loss the
// mean binary cross-entropy, written stably as softplus(z) - label * z.
#include <ctgrad/ctgrad.hpp>

#include <cstdlib>
#include <iostream>

#include "data/regression_data.hpp"

using namespace example_data;

template <class W0, class W1, class B>
constexpr auto cross_entropy(W0& w0, W1& w1, B& b) {
    return ctgrad::let(w0 * blob_f0 + w1 * blob_f1 + b,
                       [](auto z) { return ctgrad::mean(ctgrad::softplus(z) - blob_label * z); });
}

// At zero weights every p is 1/2, so dL/db = mean(1/2 - label) = 0 for balanced classes (by hand).
static_assert([] {
    ctgrad::leaf w0{0.0, ctgrad::requires_grad};
    ctgrad::leaf w1{0.0, ctgrad::requires_grad};
    ctgrad::leaf b{0.0, ctgrad::requires_grad};
    auto loss = cross_entropy(w0, w1, b);
    loss.backward();
    return b.grad() == 0.0;
}());

int main() {
    ctgrad::leaf w0{0.0, ctgrad::requires_grad};
    ctgrad::leaf w1{0.0, ctgrad::requires_grad};
    ctgrad::leaf b{0.0, ctgrad::requires_grad};
    auto loss = cross_entropy(w0, w1, b);
    const double first = loss.value();
    for (int step = 0; step < 500; ++step) {
        w0.zero_grad();
        w1.zero_grad();
        b.zero_grad();
        loss.backward();
        w0.value() -= 0.5 * w0.grad();
        w1.value() -= 0.5 * w1.grad();
        b.value() -= 0.5 * b.grad();
    }
    int correct = 0;
    for (std::size_t i = 0; i < blob_label.size(); ++i) {
        const double z = w0.value() * blob_f0[i] + w1.value() * blob_f1[i] + b.value();
        correct += (z > 0) == (blob_label[i] > 0.5);
    }
    // The gradient itself, checked against central differences at the trained point.
    const double err = ctgrad::gradcheck(
        [](auto a, auto c, auto d) {
            return ctgrad::let(a * blob_f0 + c * blob_f1 + d, [](auto z) {
                return ctgrad::mean(ctgrad::softplus(z) - blob_label * z);
            });
        },
        w0.value(), w1.value(), b.value());
    std::cout << "loss " << first << " -> " << loss.value() << ", accuracy " << correct << "/"
              << blob_label.size() << ", gradcheck error " << err << '\n';
    return (loss.value() < first && correct >= 28 && err < 1e-6) ? EXIT_SUCCESS : EXIT_FAILURE;
}
