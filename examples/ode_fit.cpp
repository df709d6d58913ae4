// Fitting the parameters of an ODE to observations, through a loop with a run-time count.
//
// Logistic growth p' = r p (1 - p / K), integrated with explicit Euler (step h) from a known p(0).
// The example makes its own observations p(t_j) from true parameters (r, K) = (0.9, 12), then
// recovers them from a poor start by Levenberg-Marquardt (damped Gauss-Newton). The trajectory is a ctgrad::fori_loop: one
// expression per observation time, whose backward pass gives that residual's row of the Jacobian
// d p(t_j) / d(r, K); gradients accumulate in the leaves, so each row is read and then zeroed.
#include <ctgrad/ctgrad.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

// p after n Euler steps of size h, as an expression of the leaves r and K.
template <class R, class K>
constexpr auto trajectory(R& r, K& k, double p0, std::size_t n, double h) {
    return ctgrad::fori_loop(n, p0, [&r, &k, h](auto p) { return p + h * r * p * (1.0 - p / k); });
}

// Checked at compile time against a hand derivation: p0 = 1, h = 1/2, r = 1, K = 2, two steps.
//   p1 = 1 + (1/2)(1)(1/2) = 5/4,    p2 = 5/4 + (1/2)(5/4)(3/8) = 95/64
//   dp1/dr = h p0 (1 - p0/K) = 1/4,  dp1/dK = h r p0^2 / K^2 = 1/8
//   dp2/dq = dp1/dq (1 + h r (1 - 2 p1/K)) + (direct term), with 1 + h r (1 - 2 p1 / K) = 7/8:
//   dp2/dr = (1/4)(7/8) + h p1 (1 - p1/K) = 7/32 + 15/64 = 29/64
//   dp2/dK = (1/8)(7/8) + h r p1^2 / K^2 = 7/64 + 25/128 = 39/128
// For the loss (p2 - 1)^2: dL/dr = 2 (31/64)(29/64) = 1798/4096, dL/dK = 2 (31/64)(39/128).
// Every number is a short binary fraction, so the comparisons are exact.
static_assert([] {
    ctgrad::leaf r{1.0, ctgrad::requires_grad};
    ctgrad::leaf k{2.0, ctgrad::requires_grad};
    auto loss = ctgrad::pow<2>(trajectory(r, k, 1.0, 2, 0.5) - 1.0);
    const double l = loss.backward();
    return l == (31.0 / 64) * (31.0 / 64) && r.grad() == 1798.0 / 4096 &&
           k.grad() == 2 * (31.0 / 64) * (39.0 / 128);
}());

// The same Euler scheme on plain doubles: the data generator and the finite-difference check.
double plain_trajectory(double r, double k, double p0, std::size_t n, double h) {
    double p = p0;
    for (std::size_t i = 0; i < n; ++i) p += h * r * p * (1.0 - p / k);
    return p;
}

int main(int argc, char**) {
    constexpr double h = 0.1, p0 = 1.0, r_true = 0.9, k_true = 12.0;
    constexpr std::size_t m = 8;                                        // observations
    const std::size_t stride = 9 + static_cast<std::size_t>(argc);      // steps between them (10)
    std::array<double, m> observed{};
    for (std::size_t j = 0; j < m; ++j)
        observed[j] = plain_trajectory(r_true, k_true, p0, (j + 1) * stride, h);

    ctgrad::leaf r{0.4, ctgrad::requires_grad};
    ctgrad::leaf k{6.0, ctgrad::requires_grad};

    // One Jacobian row d p(t_j) / d(r, K) checked against central differences at the start.
    {
        auto p = trajectory(r, k, p0, 3 * stride, h);
        p.backward();
        const double e = 1e-6;
        const std::size_t steps = 3 * stride;
        const double fd_r = (plain_trajectory(0.4 + e, 6.0, p0, steps, h) -
                             plain_trajectory(0.4 - e, 6.0, p0, steps, h)) / (2 * e);
        const double fd_k = (plain_trajectory(0.4, 6.0 + e, p0, steps, h) -
                             plain_trajectory(0.4, 6.0 - e, p0, steps, h)) / (2 * e);
        std::printf("row check: dp/dr %.9f (fd %.9f)  dp/dK %.9f (fd %.9f)\n", r.grad(), fd_r,
                    k.grad(), fd_k);
        if (std::abs(r.grad() - fd_r) > 1e-6 * (1 + std::abs(fd_r)) ||
            std::abs(k.grad() - fd_k) > 1e-6 * (1 + std::abs(fd_k)))
            return EXIT_FAILURE;
        r.zero_grad();
        k.zero_grad();
    }

    // Levenberg-Marquardt on the residuals p(t_j) - observed_j: Gauss-Newton steps
    // (J^T J + lambda diag(J^T J)) d = -J^T res, with lambda raised when a step does not lower the
    // cost (plain Gauss-Newton overshoots from this far away) and lowered when it does.
    struct normal_equations {
        double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0, cost = 0;
    };
    auto linearise = [&] {
        normal_equations s;
        for (std::size_t j = 0; j < m; ++j) {
            auto p = trajectory(r, k, p0, (j + 1) * stride, h);
            const double res = p.backward() - observed[j];   // value and Jacobian row in one pass
            const double jr = r.grad(), jk = k.grad();
            r.zero_grad();
            k.zero_grad();
            s.a11 += jr * jr;
            s.a12 += jr * jk;
            s.a22 += jk * jk;
            s.b1 -= jr * res;
            s.b2 -= jk * res;
            s.cost += res * res;
        }
        return s;
    };
    auto cost_now = [&] {
        double c = 0;
        for (std::size_t j = 0; j < m; ++j) {
            const double res = trajectory(r, k, p0, (j + 1) * stride, h).value() - observed[j];
            c += res * res;
        }
        return c;
    };

    double lambda = 1e-3;
    int iterations = 0;
    for (; iterations < 100; ++iterations) {
        const normal_equations s = linearise();
        if (s.cost < 1e-26) break;
        const double a11 = s.a11 * (1 + lambda), a22 = s.a22 * (1 + lambda);
        const double det = a11 * a22 - s.a12 * s.a12;
        const double dr = (a22 * s.b1 - s.a12 * s.b2) / det;
        const double dk = (a11 * s.b2 - s.a12 * s.b1) / det;
        r.value() += dr;
        k.value() += dk;
        if (cost_now() < s.cost) {
            lambda /= 3;
        } else {  // reject the step
            r.value() -= dr;
            k.value() -= dk;
            lambda *= 3;
        }
        std::printf("iteration %2d: cost %.3e  lambda %.1e  r = %.10f  K = %.10f\n", iterations,
                    s.cost, lambda, r.value(), k.value());
        if (std::abs(dr) < 1e-14 && std::abs(dk) < 1e-12) break;
    }

    const bool ok = std::abs(r.value() - r_true) < 1e-8 && std::abs(k.value() - k_true) < 1e-6;
    std::printf("fitted r = %.10f (true %.1f), K = %.10f (true %.1f): %s\n", r.value(), r_true,
                k.value(), k_true, ok ? "recovered" : "NOT recovered");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
