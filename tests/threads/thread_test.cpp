// Thread safety: eight threads differentiate the same expression type, each with its own leaves,
// over one shared read-only data tensor (used both as a constant copied into the expression and
// through a shared const leaf without grad, which every expression refers to by pointer). Each
// thread runs a small training loop; the results must equal, bit for bit, those of the same loop
// run on one thread. Built normally and under ThreadSanitizer (see tests/CMakeLists.txt).
//
// Usage: ctgrad_thread_test [iterations per thread]   (default 10000)
#include <ctgrad/ctgrad.hpp>

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

constexpr std::size_t n = 64;
constexpr int thread_count = 8;
using vec = ctgrad::tensor<double, n>;

vec make_data() {
    vec d{};
    for (std::size_t i = 0; i < n; ++i) d[i] = 0.5 * static_cast<double>(i % 7) - 1.25 + 0.01 * static_cast<double>(i);
    return d;
}

// Shared by all threads, never written after start-up.
const vec data = make_data();
const ctgrad::leaf shared_leaf{data};  // a const leaf without grad
static_assert(!decltype(shared_leaf)::requires_grad());

struct result {
    std::array<double, n> w{}, functional_grad{};
    double b = 0, loss_sum = 0, functional_sum = 0;
    bool operator==(const result&) const = default;
};

result train(int id, int iterations) {
    vec w0{};
    for (std::size_t i = 0; i < n; ++i) w0[i] = 0.01 * static_cast<double>(id + 1) * static_cast<double>(i % 5);
    ctgrad::leaf w{w0, ctgrad::requires_grad};
    ctgrad::leaf b{0.1 * id, ctgrad::requires_grad};

    // The same expression type in every thread; only the leaves differ.
    auto pred = ctgrad::let(w * shared_leaf + b, [](auto z) { return z * ctgrad::sigmoid(z); });
    auto loss = ctgrad::mean(ctgrad::pow<2>(pred - data)) + 1e-3 * ctgrad::dot(w, w);

    result r;
    for (int it = 0; it < iterations; ++it) {
        w.zero_grad();
        b.zero_grad();
        r.loss_sum += loss.backward();
        for (std::size_t i = 0; i < n; ++i) w.value()[i] -= 0.05 * w.grad()[i];
        b.value() -= 0.05 * b.grad();
        if (it % 64 == 0) {
            // The functional layer, reading the shared tensor through a capture-free lambda.
            const auto g = ctgrad::grad([](auto u) { return ctgrad::sum(tanh(u * data)) + ctgrad::norm(u); })(w.value());
            for (std::size_t i = 0; i < n; ++i) {
                r.functional_grad[i] = g[i];
                r.functional_sum += g[i];
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i) r.w[i] = w.value()[i];
    r.b = b.value();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const int iterations = argc > 1 ? std::atoi(argv[1]) : 10000;
    if (iterations <= 0) {
        std::fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
        return 2;
    }

    std::array<result, thread_count> expected{}, got{};
    for (int t = 0; t < thread_count; ++t) expected[t] = train(t, iterations);

    std::vector<std::thread> threads;
    threads.reserve(thread_count);
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([t, iterations, &got] { got[t] = train(t, iterations); });
    for (auto& th : threads) th.join();

    int failures = 0;
    for (int t = 0; t < thread_count; ++t) {
        const bool ok = got[t] == expected[t];
        std::printf("%-4s thread %d: loss sum %.17g, b %.17g\n", ok ? "ok" : "FAIL", t, got[t].loss_sum, got[t].b);
        if (!ok) ++failures;
    }
    // Different leaves must give different results (the threads did not share state by accident).
    if (expected[0] == expected[1]) {
        std::printf("FAIL threads 0 and 1 have identical results\n");
        ++failures;
    }
    std::printf("%d threads x %d iterations: %s\n", thread_count, iterations, failures ? "FAILED" : "passed");
    return failures == 0 ? 0 : 1;
}
