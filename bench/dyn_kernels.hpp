#pragma once
// Hand-written adjoints of the run-time-length problems (normal_lpdf, logsumexp), declared here and
// defined twice: plain scalar loops in runtime_dyn.cpp (compiled with the benchmarks' flags) and
// vectorized loops in runtime_dyn_simd.cpp (compiled with -fopenmp-simd -ffast-math so that exp and
// log become glibc libmvec calls). Out of line on purpose: the fast-math flags stay in one TU.
#include <cstddef>

namespace bench::dyn {

// f = sum_i -((y_i - mu) / sigma)^2 / 2 - n log(sigma) - n log(2 pi) / 2; g = {df/dmu, df/dsigma}.
double normal_lpdf_primal(const double* y, std::size_t n, double mu, double sigma);
double normal_lpdf_adjoint(const double* y, std::size_t n, double mu, double sigma, double* g);
double normal_lpdf_adjoint_simd(const double* y, std::size_t n, double mu, double sigma, double* g);

// f = log(sum_i exp(x_i)); g_i = df/dx_i (written, not accumulated).
double logsumexp_primal(const double* x, std::size_t n);
double logsumexp_adjoint(const double* x, std::size_t n, double* g);
double logsumexp_adjoint_simd(const double* x, std::size_t n, double* g);

}  // namespace bench::dyn
