// The vectorized hand-written adjoints of bench/dyn_kernels.hpp. bench/CMakeLists.txt compiles this
// file alone with -fopenmp-simd -ffast-math (and -fveclib=libmvec for Clang): glibc's <math.h> then
// declares SIMD variants of exp and log, and the loops below call libmvec's _ZGV*_exp / _ZGV*_log
// (test bench_runtime_dyn_libmvec checks the symbols). Same math as the scalar versions in
// runtime_dyn.cpp; only the summation order and the exp/log implementation differ.
#include <cmath>

#include "dyn_kernels.hpp"

namespace bench::dyn {

double normal_lpdf_adjoint_simd(const double* y, std::size_t n, double mu, double sigma, double* g) {
    const double inv = 1 / sigma;
    double sz = 0, szz = 0;  // sum z_i, sum z_i^2 with z_i = (y_i - mu) / sigma
#pragma omp simd reduction(+ : sz, szz)
    for (std::size_t i = 0; i < n; ++i) {
        const double z = (y[i] - mu) * inv;
        sz += z;
        szz += z * z;
    }
    const double N = static_cast<double>(n);
    // reverse sweep: zbar_i = -z_i; dz_i/dmu = -1/sigma, dz_i/dsigma = -z_i/sigma
    g[0] = sz * inv;
    g[1] = szz * inv - N * inv;
    return -0.5 * szz - N * std::log(sigma) - N * 0.91893853320467274178;  // log(2 pi) / 2
}

double logsumexp_adjoint_simd(const double* x, std::size_t n, double* g) {
    double s = 0;
#pragma omp simd reduction(+ : s)
    for (std::size_t i = 0; i < n; ++i) {
        const double e = std::exp(x[i]);
        g[i] = e;
        s += e;
    }
    const double inv = 1 / s;
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) g[i] *= inv;
    return std::log(s);
}

}  // namespace bench::dyn
