// Black-Scholes call price and its five greeks (delta, strike sensitivity, theta, rho, vega)
// from one reverse pass: value_and_grad over all five inputs.
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <numbers>

// C = S Phi(d1) - K e^(-rT) Phi(d2), Phi(z) = (1 + erf(z / sqrt 2)) / 2.
constexpr auto call_price = [](auto S, auto K, auto T, auto r, auto sigma) {
    return ctgrad::let(sigma * sqrt(T), [=](auto vol) {
        return ctgrad::let((log(S / K) + (r + 0.5 * sigma * sigma) * T) / vol, [=](auto d1) {
            auto phi = [](auto z) { return 0.5 * (1.0 + erf(z * 0.7071067811865476)); };
            return S * phi(d1) - K * exp(-r * T) * phi(d1 - vol);
        });
    });
};

// At the money with zero rate and T = 1: d1 = sigma/2, delta = Phi(sigma/2) > 1/2: a property
// the compiler checks (on Clang through ctgrad's own constexpr erf, exp, log and sqrt).
static_assert([] {
    auto [price, greeks] = ctgrad::value_and_grad<0, 1, 2, 3, 4>(call_price)(100.0, 100.0, 1.0, 0.0, 0.2);
    const double delta = std::get<0>(greeks);
    return price > 0 && delta > 0.5 && delta < 0.6;
}());

int main() {
    const double S = 100, K = 105, T = 1, r = 0.05, sigma = 0.2;
    auto [price, greeks] = ctgrad::value_and_grad<0, 1, 2, 3, 4>(call_price)(S, K, T, r, sigma);
    auto [dS, dK, dT, dr, dsigma] = greeks;
    std::cout << "price " << price << "\ndelta " << dS << "\ndC/dK " << dK << "\ntheta (dC/dT) " << dT
              << "\nrho " << dr << "\nvega " << dsigma << '\n';

    // Closed forms: delta = Phi(d1), dC/dK = -e^(-rT) Phi(d2), vega = S phi(d1) sqrt(T),
    // rho = K T e^(-rT) Phi(d2), dC/dT = S phi(d1) sigma / (2 sqrt T) + r K e^(-rT) Phi(d2).
    const double d1 = (std::log(S / K) + (r + sigma * sigma / 2) * T) / (sigma * std::sqrt(T));
    const double d2 = d1 - sigma * std::sqrt(T);
    auto Phi = [](double z) { return 0.5 * (1 + std::erf(z / std::sqrt(2.0))); };
    const double pdf = std::exp(-d1 * d1 / 2) / std::sqrt(2 * std::numbers::pi);
    const double disc = std::exp(-r * T);
    const double expect[5] = {Phi(d1), -disc * Phi(d2), S * pdf * sigma / (2 * std::sqrt(T)) + r * K * disc * Phi(d2),
                              K * T * disc * Phi(d2), S * pdf * std::sqrt(T)};
    const double got[5] = {dS, dK, dT, dr, dsigma};
    for (int i = 0; i < 5; ++i)
        if (std::abs(got[i] - expect[i]) > 1e-12 * (1 + std::abs(expect[i]))) {
            std::cerr << "greek " << i << " differs from the closed form: " << got[i] << " vs " << expect[i] << '\n';
            return EXIT_FAILURE;
        }
    return std::abs(price - (S * Phi(d1) - K * disc * Phi(d2))) < 1e-12 ? EXIT_SUCCESS : EXIT_FAILURE;
}
