// ctgrad::sum(ctgrad::par, e) and ctgrad::mean(ctgrad::par, e): value and gradient equal to an
// independent hand-written loop (and to the serial sum) within rounding, and identical, bit for
// bit, whatever the number of threads (1, 2, 3, 4, 7 and one per core). Covers the three ways a
// fused region is differentiated (pre-accumulated scalar partials, kept values, recomputed
// values), a broadcast operand whose adjoint every element writes (its reverse loop must not run
// chunks at once), a plain leaf operand (no fused region), that the threads are really used, and
// constant evaluation. Built normally and under ThreadSanitizer (tests/CMakeLists.txt).
#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using dvec = ctgrad::tensor<double, ctgrad::dyn>;
int failures = 0;

void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}
bool close(double a, double b) { return std::fabs(a - b) <= 1e-10 * (1.0 + std::fabs(b)); }

// n is not a multiple of the chunk (2^14) nor of a SIMD pack: a partial last chunk and tail.
constexpr std::size_t n = 5 * (std::size_t{1} << 14) + 4099;

std::vector<double> data() {
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = 0.3 + 1.7 * std::sin(0.37 * static_cast<double>(i) + 0.1);
    return y;
}

const unsigned thread_counts[] = {1, 2, 3, 4, 7, 0};  // 0: one per core (ctgrad::par)
ctgrad::par_t policy(unsigned t) {
    return t == 0 ? ctgrad::par : ctgrad::detail::par_access::with_threads(t);
}

// normal_lpdf: scalar parameters, so the forward loop pre-accumulates their partials.
void normal_lpdf() {
    const std::vector<double> y0 = data();
    const double mu0 = 0.5, sigma0 = 1.3, N = static_cast<double>(n);
    // hand-written: z_i = (y_i - mu) / sigma, f = -sum z^2 / 2 - N log sigma;
    // df/dmu = sum z / sigma, df/dsigma = sum z^2 / sigma - N / sigma
    double sz = 0, szz = 0;
    for (double v : y0) {
        const double z = (v - mu0) / sigma0;
        sz += z;
        szz += z * z;
    }
    const double f = -0.5 * szz - N * std::log(sigma0), dmu = sz / sigma0, dsigma = szz / sigma0 - N / sigma0;

    ctgrad::leaf y{ctgrad::view(y0)};
    ctgrad::leaf mu{mu0, ctgrad::requires_grad}, sigma{sigma0, ctgrad::requires_grad};
    double v1 = 0, g1 = 0, h1 = 0;
    for (unsigned t : thread_counts) {
        auto lp = ctgrad::sum(policy(t), -0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * log(sigma);
        mu.zero_grad();
        sigma.zero_grad();
        const double v = lp.backward();
        check(close(v, f) && close(mu.grad(), dmu) && close(sigma.grad(), dsigma),
              "normal_lpdf: value and gradient match the hand-written loop");
        check(lp.value() == v, "normal_lpdf: value() equals backward()'s value");
        if (t == 1) {
            v1 = v, g1 = mu.grad(), h1 = sigma.grad();
        } else {
            check(v == v1 && mu.grad() == g1 && sigma.grad() == h1,
                  "normal_lpdf: identical for every thread count");
        }
    }
    // the serial sum agrees within rounding
    auto serial = ctgrad::sum(-0.5 * ctgrad::pow<2>((y - mu) / sigma)) - N * log(sigma);
    mu.zero_grad();
    sigma.zero_grad();
    check(close(serial.backward(), v1) && close(mu.grad(), g1) && close(sigma.grad(), h1),
          "normal_lpdf: equal to the serial sum within rounding");
}

// A run-time-length parameter: per-element adjoints, written by the parallel reverse loop.
void vector_parameter() {
    const std::vector<double> x0 = data();
    ctgrad::leaf x{dvec{x0}, ctgrad::requires_grad};
    std::vector<double> ref_keep, ref_recompute;
    double mean0 = 0;
    for (double v : x0) mean0 += std::sin(v) * v;
    mean0 /= static_cast<double>(n);
    for (unsigned t : thread_counts) {
        // keep: a one-node region; d/dx sum(x^2) = 2x
        x.zero_grad();
        auto s = ctgrad::sum(policy(t), x * x);
        s.backward();
        // recompute: d/dx mean(sin(x) x) = (cos(x) x + sin(x)) / n
        auto m = ctgrad::mean(policy(t), ctgrad::sin(x) * x);
        auto ms = ctgrad::sum(x * x) * 0.0 + m;  // m's gradient added to 2x
        x.zero_grad();
        const double mv = ms.backward();
        check(close(mv, mean0), "mean(par, sin(x) x): value matches the hand-written loop");
        bool ok = true;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = x0[i];
            ok = ok && close(x.grad()[i], (std::cos(v) * v + std::sin(v)) / static_cast<double>(n));
        }
        check(ok, "mean(par, sin(x) x): gradient matches the hand-written derivative");
        std::vector<double> g(x.grad().begin(), x.grad().end());
        if (t == 1) ref_recompute = g;
        else check(g == ref_recompute, "mean(par, sin(x) x): identical for every thread count");

        x.zero_grad();
        s.backward();
        bool ok2 = true;
        for (std::size_t i = 0; i < n; ++i) ok2 = ok2 && x.grad()[i] == 2.0 * x0[i];
        check(ok2, "sum(par, x * x): gradient 2x");
    }
}

// A one-element tensor broadcasts: every element adds to its one adjoint element.
void broadcast_parameter() {
    const std::vector<double> x0 = data();
    ctgrad::leaf x{ctgrad::view(x0)};
    ctgrad::leaf z{ctgrad::tensor<double, 1>{0.75}, ctgrad::requires_grad};
    double sx = 0, sxx = 0;
    for (double v : x0) sx += v, sxx += v * v;
    double g1 = 0;
    for (unsigned t : thread_counts) {
        z.zero_grad();
        auto s = ctgrad::sum(policy(t), x * z * x);  // d/dz = sum x^2
        check(close(s.backward(), 0.75 * sxx), "broadcast: value");
        check(close(z.grad()[0], sxx), "broadcast: gradient sum x^2");
        if (t == 1) g1 = z.grad()[0];
        else check(z.grad()[0] == g1, "broadcast: identical for every thread count");
    }
    (void)sx;
}

// A data matrix with one run-time row repeated over the rows of another (its elements are not
// contiguous, so no packs): value and gradients by hand, sum_ij x_ij^2 r_j.
void broadcast_row() {
    using mat2 = ctgrad::tensor<double, ctgrad::dyn, 2>;
    std::vector<double> x0 = data();
    x0.resize(x0.size() / 2 * 2);  // whole rows of 2
    const std::size_t rows = x0.size() / 2;
    ctgrad::leaf x{mat2{x0}, ctgrad::requires_grad};
    ctgrad::leaf r{mat2{std::vector<double>{0.5, -1.5}}, ctgrad::requires_grad};
    double v = 0, dr[2] = {};
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < 2; ++j) {
            const double xx = x0[2 * i + j] * x0[2 * i + j];
            v += xx * (j == 0 ? 0.5 : -1.5);
            dr[j] += xx;
        }
    for (unsigned t : thread_counts) {
        x.zero_grad();
        r.zero_grad();
        auto s = ctgrad::sum(policy(t), x * x * r);
        check(close(s.backward(), v), "row broadcast: value");
        check(close(r.grad()(0, 0), dr[0]) && close(r.grad()(0, 1), dr[1]), "row broadcast: gradient of the row");
        bool ok = true;
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < 2; ++j)
                ok = ok && close(x.grad()(i, j), 2 * x0[2 * i + j] * (j == 0 ? 0.5 : -1.5));
        check(ok, "row broadcast: gradient of the matrix");
    }
}

// A plain leaf operand (no elementwise region): summed as by sum(e).
void plain_leaf() {
    const std::vector<double> x0 = data();
    ctgrad::leaf x{dvec{x0}, ctgrad::requires_grad};
    auto s = ctgrad::sum(ctgrad::par, x);
    double ref = 0;
    for (double v : x0) ref += v;
    check(close(s.backward(dvec{1.0}.elems[0]), ref), "sum(par, leaf): value");
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i) ok = ok && x.grad()[i] == 1.0;
    check(ok, "sum(par, leaf): gradient 1");
}

// The threads are really used: an elementwise op that records which threads evaluate it sees
// as many as asked for (the calling thread and the ones started).
std::mutex seen_mutex;
std::set<std::thread::id> seen;
struct recorded_square {
    static constexpr ctgrad::op_info info{.label = "recorded_square", .elementwise = true};
    template <class T>
    static T value(const T& x) {
        const std::lock_guard<std::mutex> lock(seen_mutex);
        seen.insert(std::this_thread::get_id());
        return x * x;
    }
    template <std::size_t, class T>
    static T partial(const T&, const T& x) { return 2 * x; }
};
void threads_used() {
    const std::vector<double> x0 = data();
    ctgrad::leaf x{ctgrad::view(x0)};
    for (unsigned t : {1u, 2u, 3u}) {
        seen.clear();
        auto s = ctgrad::sum(policy(t), ctgrad::apply<recorded_square>(x));
        (void)s.value();
        check(seen.size() == t, "sum(par, e) on t threads evaluates e on t distinct threads");
    }
}

// In constant evaluation the chunks run one after another.
constexpr double constant_sum() {
    ctgrad::leaf x{dvec{1.0, 2.0, 3.0}, ctgrad::requires_grad};
    auto s = ctgrad::sum(ctgrad::par, x * x);
    const double v = s.backward(1.0);
    return v + x.grad()[2];  // 14 + 6
}
static_assert(constant_sum() == 20.0);

}  // namespace

int main() {
    normal_lpdf();
    vector_parameter();
    broadcast_parameter();
    broadcast_row();
    plain_leaf();
    threads_used();
    if (failures == 0) std::printf("all checks passed\n");
    return failures == 0 ? 0 : 1;
}
