// The checker and main of the differential tests; the cases are generated (tests/diff/gen_diff.py).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <vector>

#include "diff_support.hpp"

namespace ctgrad_diff {
void run_all();  // generated: calls every case of every generated translation unit

#if CTGRAD_DIFF_SACADO
// The reference ops for Sacado::Rad. Sacado has no log1p, expm1, cbrt, erf, erfc, hypot,
// sigmoid, softplus or relu: they are composed from its primitives where that is accurate, or
// given through its ADf1 hook (value from the C library, derivative written out here) where a
// composition would cancel (log(1 + a) for tiny a, 1 - erf(a) for large a).
ad f_add(const ad& a, const ad& b) { return a + b; }
ad f_sub(const ad& a, const ad& b) { return a - b; }
ad f_mul(const ad& a, const ad& b) { return a * b; }
ad f_div(const ad& a, const ad& b) { return a / b; }
ad f_exp(const ad& a) { return exp(a); }
ad f_log(const ad& a) { return log(a); }
ad f_log1p(const ad& a) { return Sacado::Rad::ADf1(std::log1p(a.val()), 1.0 / (1.0 + a.val()), a); }
ad f_expm1(const ad& a) { return Sacado::Rad::ADf1(std::expm1(a.val()), std::exp(a.val()), a); }
ad f_sqrt(const ad& a) { return sqrt(a); }
ad f_cbrt(const ad& a) {
    const double c = std::cbrt(a.val());
    return Sacado::Rad::ADf1(c, 1.0 / (3.0 * c * c), a);
}
ad f_sin(const ad& a) { return sin(a); }
ad f_cos(const ad& a) { return cos(a); }
ad f_tan(const ad& a) { return tan(a); }
ad f_asin(const ad& a) { return asin(a); }
ad f_acos(const ad& a) { return acos(a); }
ad f_atan(const ad& a) { return atan(a); }
ad f_sinh(const ad& a) { return sinh(a); }
ad f_cosh(const ad& a) { return cosh(a); }
ad f_tanh(const ad& a) { return tanh(a); }
ad f_erf(const ad& a) {
    const double v = a.val();
    return Sacado::Rad::ADf1(std::erf(v), 1.12837916709551257390 * std::exp(-v * v), a);
}
ad f_erfc(const ad& a) {
    const double v = a.val();
    return Sacado::Rad::ADf1(std::erfc(v), -1.12837916709551257390 * std::exp(-v * v), a);
}
// The branches keep exp from overflowing (inf/inf in the derivative).
ad f_sigmoid(const ad& a) {
    return a.val() >= 0.0 ? ad(1.0 / (1.0 + exp(-a))) : ad(exp(a) / (1.0 + exp(a)));
}
ad f_softplus(const ad& a) {
    const double v = a.val();
    const double value = v > 0.0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
    const double slope = v >= 0.0 ? 1.0 / (1.0 + std::exp(-v)) : std::exp(v) / (1.0 + std::exp(v));
    return Sacado::Rad::ADf1(value, slope, a);
}
// 0 * a, not a constant: Sacado seeds the last operation on its tape, so the result must be one.
ad f_relu(const ad& a) { return a.val() > 0.0 ? a : ad(0.0 * a); }
ad f_abs(const ad& a) { return abs(a); }
ad f_atan2(const ad& a, const ad& b) { return atan2(a, b); }
ad f_hypot(const ad& a, const ad& b) { return sqrt(a * a + b * b); }
ad f_min(const ad& a, const ad& b) { return min(a, b); }
ad f_max(const ad& a, const ad& b) { return max(a, b); }
ad f_pow(const ad& a, const ad& b) { return pow(a, b); }
#endif

namespace {

struct tally {
    long cases = 0;        // expression-point pairs
    long components = 0;   // gradient components compared
    long failures = 0;     // failed expression-point pairs
    long weak = 0;         // components the finite differences check to less than 4 digits
    double worst_ratio = 0.0;  // largest |ctgrad - fd| / tolerance seen
} stats;

constexpr long max_printed = 20;

// Central difference with step s, in long double.
long double central(plain_ld f, std::vector<long double>& x, std::size_t j, long double s) {
    const long double x0 = x[j];
    x[j] = x0 + s;
    const long double up = f(x.data());
    x[j] = x0 - s;
    const long double down = f(x.data());
    x[j] = x0;
    return (up - down) / (2 * s);
}

// What long double rounding in f adds to a central difference with step h: eps (2^-64) times the
// rounding scale of f, divided by 2h, amplified less than 2x by the extrapolation, with a safety
// factor of 50.
long double rounding(const point_info& p, long double h) {
    return 1e-17L * (p.fround + std::numeric_limits<double>::min()) / h;
}

}  // namespace

void check(const case_info& c, const point_info& p, double value, const double* g, plain_ld f,
           [[maybe_unused]] plain_ad fa) {
    ++stats.cases;
    std::vector<long double> x(p.x, p.x + c.n);
    const long double ref_value = f(x.data());

    // Finite differences: Richardson extrapolation of central differences at h, h/2, h/4; the
    // difference of the last two extrapolations estimates the error of the better one. When that
    // estimate is large (a fast-oscillating or sharply curved function), the step shrinks by 16,
    // up to three times, and the most accurate result (truncation plus rounding) is kept.
    std::vector<long double> fd(c.n), fd_err(c.n);
    std::vector<double> step(c.n);
    for (std::size_t j = 0; j < c.n; ++j) {
        if (!c.grad[j]) continue;
        long double best = 0, best_bound = INFINITY, h = p.h[j];
        for (int round = 0; round < 4; ++round, h /= 16) {
            const long double d1 = central(f, x, j, h), d2 = central(f, x, j, h / 2),
                              d3 = central(f, x, j, h / 4);
            const long double r1 = (4 * d2 - d1) / 3, r2 = (4 * d3 - d2) / 3;
            const long double bound = 4 * std::fabs(r2 - r1) + rounding(p, h);
            if (bound < best_bound) {
                best = r2, best_bound = bound, fd_err[j] = std::fabs(r2 - r1), step[j] = double(h);
            }
            if (best_bound <= 1e-10L * (std::fabs(r2) + p.cond[j])) break;
        }
        fd[j] = best;
    }

    std::vector<double> sg(c.n, 0.0);
    double sacado_value = 0.0;
    bool have_sacado = false;
#if CTGRAD_DIFF_SACADO
    {
        std::vector<ad> xa(c.n);
        for (std::size_t j = 0; j < c.n; ++j) xa[j] = p.x[j];
        ad y = fa(xa.data());
        ad::Gradcomp();
        sacado_value = y.val();
        for (std::size_t j = 0; j < c.n; ++j) sg[j] = xa[j].adj();
        have_sacado = true;
    }
#endif

    // Tolerances. ctgrad works in double: its rounding error in a gradient component is bounded
    // by a small multiple of eps times the condition scale (the sum of |chain-rule products|);
    // 1e-8 of it leaves room for ~1e7 roundings on the way yet catches any wrong local
    // derivative, which errs by the size of a whole path. The finite differences add their own
    // estimated truncation error and the long double rounding of f, amplified by 1/h.
    bool ok = true;
    const double value_tol = 1e-10 * (1.0 + p.vmax);
    if (!(std::fabs(value - static_cast<double>(ref_value)) <= value_tol)) ok = false;
    if (have_sacado && !(std::fabs(value - sacado_value) <= value_tol)) ok = false;
    std::vector<double> tol_fd(c.n), tol_sa(c.n);
    for (std::size_t j = 0; j < c.n; ++j) {
        if (!c.grad[j]) continue;
        ++stats.components;
        const double ad_tol = 1e-8 * p.cond[j] + 1e-12 * std::fabs(g[j]);
        tol_fd[j] = ad_tol + static_cast<double>(4 * fd_err[j] + rounding(p, step[j]));
        tol_sa[j] = ad_tol;
        const double err_fd = std::fabs(g[j] - static_cast<double>(fd[j]));
        if (!(err_fd <= tol_fd[j])) ok = false;
        if (have_sacado && !(std::fabs(g[j] - sg[j]) <= tol_sa[j])) ok = false;
        stats.worst_ratio = std::max(stats.worst_ratio, err_fd / tol_fd[j]);
        // "weak": the finite differences check less than 4 digits of a gradient that is not
        // tiny in absolute terms (Sacado still checks it at 1e-8 of its condition scale)
        const double weak_above =
            std::max({1e-4 * std::fabs(static_cast<double>(fd[j])), 1e-7 * p.cond[j], 1e-10});
        if (tol_fd[j] > weak_above) {
            ++stats.weak;
            if (std::getenv("CTGRAD_DIFF_VERBOSE"))
                std::printf("weak: %s, %s: ctgrad %.6g, fd %.6Lg (error estimate %.3Lg), tolerance "
                            "%.3g, condition scale %.3g, step %.3g\n",
                            c.id, c.names[j], g[j], fd[j], fd_err[j], tol_fd[j], p.cond[j],
                            step[j]);
        }
    }
    if (ok) return;

    if (++stats.failures > max_printed) return;
    std::printf("FAILED: %s\n  expression: %s\n  point:", c.id, c.text);
    for (std::size_t j = 0; j < c.n; ++j)
        std::printf(" %s=%.17g%s", c.names[j], p.x[j], c.grad[j] ? "" : " (no grad)");
    std::printf("\n  value: ctgrad %.17g, long double %.17Lg", value, ref_value);
    if (have_sacado) std::printf(", Sacado %.17g", sacado_value);
    std::printf(" (tolerance %.3g)\n", value_tol);
    std::printf("  %-10s %-24s %-24s %-10s %-24s %-10s %s\n", "component", "ctgrad", "finite diff.",
                "tol", have_sacado ? "Sacado" : "(no Sacado)", "tol", "fd step");
    for (std::size_t j = 0; j < c.n; ++j) {
        if (!c.grad[j]) continue;
        std::printf("  %-10s %-24.17g %-24.17Lg %-10.3g %-24.17g %-10.3g %.3g\n", c.names[j], g[j],
                    fd[j], tol_fd[j], sg[j], tol_sa[j], step[j]);
    }
}

void check_accumulation(const case_info& c, const double* cond, const double* g, const double* g2) {
    for (std::size_t j = 0; j < c.n; ++j) {
        if (!c.grad[j] || std::fabs(g2[j] - 2 * g[j]) <= 1e-12 * (cond[j] + std::fabs(g[j])))
            continue;
        ++stats.failures;
        std::printf("FAILED: %s: a second backward gave %s.grad() = %.17g, expected 2 * %.17g\n"
                    "  expression: %s\n", c.id, c.names[j], g2[j], g[j], c.text);
    }
}

}  // namespace ctgrad_diff

int main() {
    using ctgrad_diff::stats;
#if CTGRAD_DIFF_SACADO
    const char* peer = "finite differences and Sacado";
#else
    const char* peer = "finite differences only (Sacado not found at configure time)";
#endif
    ctgrad_diff::run_all();
    std::printf("ctgrad diff: %ld expression-point cases, %ld gradient components, checked "
                "against %s\n", stats.cases, stats.components, peer);
    std::printf("ctgrad diff: worst |ctgrad - fd| / tolerance = %.3g; %ld components with a "
                "finite-difference check of less than 4 digits\n",
                stats.worst_ratio, stats.weak);
    if (stats.failures) {
        std::printf("ctgrad diff: %ld FAILED cases%s\n", stats.failures,
                    stats.failures > ctgrad_diff::max_printed ? " (the first 20 are printed)" : "");
        return 1;
    }
    return stats.cases > 0 ? 0 : 1;
}
