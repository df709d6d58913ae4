// Heap allocations of evaluation and backward, counted by replacing the global operator new and
// delete. With fixed shapes, value() and backward() must not allocate at all: expressions, their
// workspaces and the functional layer live on the stack. fori_loop is the one documented
// exception: it stores its n states in a std::vector, so it may allocate a constant number of
// times per call, never a number that grows with n.
//
// This is its own executable (not part of the Catch2 binary): replacing operator new is global to
// the program, and a test framework allocates on its own.
#include <ctgrad/ctgrad.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <new>
#include <span>
#include <vector>

// ---------------------------------------------------------------------------------------------------
// Counting allocator. Single-threaded test, so a plain counter is enough.
namespace {
std::size_t allocation_count = 0;

void* counted_alloc(std::size_t size) {
    ++allocation_count;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc{};
}
void* counted_aligned_alloc(std::size_t size, std::align_val_t align) {
    ++allocation_count;
    void* p = nullptr;
    std::size_t a = static_cast<std::size_t>(align);
    if (a < sizeof(void*)) a = sizeof(void*);
    if (posix_memalign(&p, a, size == 0 ? 1 : size) != 0) throw std::bad_alloc{};
    return p;
}
}  // namespace

void* operator new(std::size_t size) { return counted_alloc(size); }
void* operator new[](std::size_t size) { return counted_alloc(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    try { return counted_alloc(size); } catch (...) { return nullptr; }
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    try { return counted_alloc(size); } catch (...) { return nullptr; }
}
void* operator new(std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void* operator new[](std::size_t size, std::align_val_t align) { return counted_aligned_alloc(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

// ---------------------------------------------------------------------------------------------------
namespace {
int failures = 0;

void check(bool ok, const char* what, std::size_t allocations) {
    std::printf("%-4s %-62s allocations: %zu\n", ok ? "ok" : "FAIL", what, allocations);
    if (!ok) ++failures;
}

// Runs f and returns how many allocations it made.
template <class F>
std::size_t allocations_of(F&& f) {
    const std::size_t before = allocation_count;
    f();
    return allocation_count - before;
}

// Values the optimizer cannot see through, so nothing is folded at compile time.
double opaque(double v) {
    volatile double x = v;
    return x;
}
volatile double sink = 0;

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

void scalar_expressions() {
    leaf x{opaque(0.7), requires_grad};
    leaf y{opaque(-1.3), requires_grad};
    std::size_t n = allocations_of([&] {
        auto e = x * x * y + sin(x) / (1.0 + exp(y)) + ctgrad::pow<3>(x - y);
        sink = e.value();
        sink = e.backward();
        sink = e.backward();  // accumulates; still no heap
        sink = x.grad() + y.grad();
    });
    check(n == 0, "scalar expression: build, value(), backward() x2", n);
}

void let_and_iterate() {
    leaf x{opaque(0.25), requires_grad};
    leaf y{opaque(0.5), requires_grad};
    std::size_t n = allocations_of([&] {
        auto e = ctgrad::let(x * y, [](auto a) { return ctgrad::let(a * a, [a](auto b) { return b + a * b; }); });
        sink = e.value();
        sink = e.backward();
    });
    check(n == 0, "nested let: value() and backward()", n);

    n = allocations_of([&] {
        auto z = ctgrad::iterate<200>(x, [&y](auto s) { return ctgrad::let(s, [&y](auto q) { return q * y + q * q * q / 8.0; }); });
        sink = z.value();
        sink = z.backward();
        sink = x.grad() + y.grad();
    });
    check(n == 0, "iterate<200> with a let inside: value() and backward()", n);

    leaf v{tensor{opaque(0.1), opaque(0.2), opaque(0.3)}, requires_grad};
    n = allocations_of([&] {
        auto z = ctgrad::iterate<50>(v, [](auto k, auto s) { return tanh(s) * 0.5 + 0.01 * k; });
        auto loss = ctgrad::sum(z * z);
        sink = loss.value();
        sink = loss.backward();
        sink = v.grad()[2];
    });
    check(n == 0, "iterate<50> on a tensor with (k, z): value() and backward()", n);
}

void retained_intermediates() {
    leaf x{opaque(2.0), requires_grad};
    std::size_t n = allocations_of([&] {
        auto h = (x * x).retain_grad();
        auto y = h * h + h;
        sink = y.value();
        sink = y.backward();
        sink = h.grad();
        h.zero_grad();
        x.zero_grad();
        sink = y.backward();
        sink = h.grad() + x.grad();
    });
    check(n == 0, "retain_grad: backward(), grad(), zero_grad()", n);
}

void tensor_ops() {
    leaf W{tensor<double, 4, 3>{opaque(0.1), 0.2, -0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, 1.1, -1.2}, requires_grad};
    leaf B{tensor<double, 3, 2>{opaque(1.0), -1.0, 0.5, 0.25, 2.0, -0.5}, requires_grad};
    leaf x{tensor{opaque(1.0), 2.0, 3.0}, requires_grad};
    leaf b{tensor{opaque(0.5), -0.5, 0.25, 0.0}, requires_grad};
    std::size_t n = allocations_of([&] {
        auto z = (ctgrad::matmul(W, x) + b).retain_grad();
        auto loss = ctgrad::sum(ctgrad::pow<2>(tanh(z))) + ctgrad::mean(ctgrad::matmul(W, B)) +
                    ctgrad::norm(x) * ctgrad::dot(x, x);
        sink = loss.value();
        sink = loss.backward();
        sink = W.grad()(3, 2) + B.grad()(2, 1) + x.grad()[0] + b.grad()[1] + z.grad()[3];
    });
    check(n == 0, "tensors: matmul (2-D x 1-D, 2-D x 2-D), sum, mean, norm, dot", n);

    n = allocations_of([&] {
        auto y = ctgrad::transpose(W) * 2.0 - 1.0;  // [3, 4]
        sink = y.backward(tensor<double, 3, 4>{}).elems[0];
        sink = y.value().elems[5];
    });
    check(n == 0, "tensors: backward(seed) of a rank-2 result", n);
}

void functional_layer() {
    const double a = opaque(1.5), b = opaque(-0.5);
    const tensor<double, 3> p{opaque(0.3), opaque(-0.2), opaque(0.9)};
    std::size_t n = allocations_of([&] {
        auto f = [](auto u, auto v) { return u * u * v + sin(u * v); };
        auto [gu, gv] = ctgrad::grad<0, 1>(f)(a, b);
        auto [val, g] = ctgrad::value_and_grad(f)(a, b);
        sink = gu + gv + val + g;
        sink = ctgrad::grad(ctgrad::grad([](auto t) { return exp(t) * t; }))(a);  // forward over reverse
        auto gp = ctgrad::grad([](auto w) { return ctgrad::sum(w * w * w) + ctgrad::norm(w); })(p);
        sink = gp[0] + gp[2];
        auto h = ctgrad::hessian([](auto w) { return ctgrad::dot(w, w) * w[0]; })(p);
        sink = h(1, 1);
    });
    check(n == 0, "functional: grad, value_and_grad, grad(grad), hessian", n);
}

void fori_loop_allocates_per_call_not_per_step() {
    leaf k{opaque(0.5), requires_grad};
    const double h = 0.001;
    auto run = [&](std::size_t steps) {
        return allocations_of([&] {
            auto y = ctgrad::fori_loop(steps, 1.0, [&k, h](auto s) { return s - h * k * s; });
            sink = y.value();
            sink = y.backward();
            sink = k.grad();
        });
    };
    const std::size_t few = run(10), many = run(10000);
    // Two evaluations (value and backward), each storing its states in one vector: a small
    // constant, the same for 10 and 10,000 steps.
    check(few > 0, "fori_loop(10): stores its states on the heap", few);
    check(few <= 4, "fori_loop(10): at most 4 allocations for value()+backward()", few);
    check(many == few, "fori_loop(10000): as many allocations as fori_loop(10)", many);
}

// Elementwise sub-expressions under sum/mean are evaluated and differentiated element by element:
// with data of run-time length (no grad) and scalar parameters, nothing is allocated at all,
// whatever the length; a parameter vector's contributions go straight into its grad() (no buffer
// of its own), and a sum over a one-node region (logsumexp's exp) keeps that node's values in one
// buffer: one per backward(), not one per node or per element.
void dyn_fusion_allocates_nothing_per_element() {
    auto normal_lpdf = [](std::size_t n) {
        std::vector<double> ys(n);
        for (std::size_t i = 0; i < n; ++i) ys[i] = opaque(0.3 + 1.7 * std::sin(static_cast<double>(i)));
        const leaf<tensor<double, ctgrad::dyn>> data{tensor<double, ctgrad::dyn>(ys)};
        leaf mu{opaque(0.5), requires_grad};
        leaf sigma{opaque(1.3), requires_grad};
        return allocations_of([&] {
            auto lp = ctgrad::sum(-0.5 * ctgrad::pow<2>((data - mu) / sigma)) -
                      static_cast<double>(n) * log(sigma);
            sink = lp.value();
            sink = lp.backward();
            sink = lp.backward();
            sink = mu.grad() + sigma.grad();
        });
    };
    const std::size_t few = normal_lpdf(10), many = normal_lpdf(100000);
    check(few == 0, "dyn normal_lpdf, N = 10: build, value(), backward() x2", few);
    check(many == 0, "dyn normal_lpdf, N = 100000: build, value(), backward() x2", many);

    auto logsumexp = [](std::size_t n) {
        std::vector<double> xs(n);
        for (std::size_t i = 0; i < n; ++i) xs[i] = opaque(std::cos(static_cast<double>(i)));
        leaf x{tensor<double, ctgrad::dyn>(xs), requires_grad};
        sink = x.grad().size();  // the gradient buffer exists before counting starts
        return allocations_of([&] {
            auto f = log(ctgrad::sum(exp(x)));
            sink = f.backward();
            sink = f.backward();
        });
    };
    const std::size_t lf = logsumexp(10), lm = logsumexp(10000);
    check(lf <= 2, "dyn logsumexp, N = 10: at most one buffer per backward() (x2)", lf);
    check(lm == lf, "dyn logsumexp, N = 10000: as many allocations as N = 10", lm);
}

// Rows of a data matrix (view<8>, run-time rows) under sum/mean: the elementwise chain, with fixed
// parameters broadcast over the rows, is evaluated and differentiated element by element: nothing
// is allocated, whatever the number of rows. With matmul (which makes one value per row) the
// number of buffers does not grow with the rows either.
void datamatrix_fusion_allocates_nothing_per_row() {
    auto data = [](std::size_t rows) {
        std::vector<double> xs(rows * 8);
        for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = opaque(std::sin(0.37 * static_cast<double>(i)));
        return xs;
    };
    auto chain = [&](std::size_t rows) {
        const std::vector<double> xs = data(rows);
        const leaf x{ctgrad::view<8>(xs)};
        leaf w{tensor<double, 8>{0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8}, requires_grad};
        leaf b{opaque(0.25), requires_grad};
        return allocations_of([&] {
            auto f = ctgrad::mean(tanh(x * w + b) * x - 0.5 * x * x * b);
            static_assert(ctgrad::evaluation_plan<decltype(f)>::nodes[1].fused);
            sink = f.value();
            sink = f.backward();
            sink = f.backward();
            sink = w.grad()[3] + b.grad();
        });
    };
    const std::size_t few = chain(10), many = chain(100000);
    check(few == 0, "data matrix chain, 10 x 8: build, value(), backward() x2", few);
    check(many == 0, "data matrix chain, 100000 x 8: build, value(), backward() x2", many);

    auto logreg = [&](std::size_t rows) {
        const std::vector<double> xs = data(rows);
        std::vector<double> ys(rows);
        for (std::size_t i = 0; i < rows; ++i) ys[i] = i % 3 == 0 ? 1.0 : 0.0;
        const leaf x{ctgrad::view<8>(xs)};
        const leaf y{ctgrad::view(std::span<const double>(ys))};
        leaf w{tensor<double, 8>{}, requires_grad};
        leaf b{opaque(0.0), requires_grad};
        return allocations_of([&] {
            auto f = ctgrad::let(ctgrad::matmul(x, w) + b,
                                 [&y](auto z) { return ctgrad::mean(ctgrad::softplus(z) - y * z); });
            sink = f.backward();
            sink = f.backward();
        });
    };
    const std::size_t lf = logreg(10), lm = logreg(100000);
    // per backward(): values and adjoints of matmul(x, w), of z and of the let, and the kept
    // values of the reduction; a constant, not one per row
    check(lf <= 12, "data matrix logreg, 10 x 8: at most six buffers per backward() (x2)", lf);
    check(lm == lf, "data matrix logreg, 100000 x 8: as many allocations as 10 x 8", lm);
}

// Training with fixed shapes: params, both optimizers' state and steps, zero_grad, compound
// assignment and ones_like all live on the stack.
void training_with_fixed_shapes() {
    leaf a{opaque(1.5), requires_grad};
    leaf w{tensor<double, 2, 3>{opaque(0.5), -1.0, 2.0, 0.25, -0.75, 1.0}, requires_grad};
    leaf v{tensor{opaque(1.0), -2.0, 3.0}, requires_grad};
    std::size_t n = allocations_of([&] {
        auto loss = a * ctgrad::sum(w * w) + ctgrad::sum(v * v * v);
        ctgrad::optim::sgd sgd{ctgrad::params(a, w, v),
                               {.lr = 0.01, .momentum = 0.9, .weight_decay = 0.1, .nesterov = true}};
        ctgrad::optim::adam adam{ctgrad::params(a, w, v), {.lr = 0.01, .weight_decay = 0.1}};
        for (int i = 0; i < 10; ++i) {
            sgd.zero_grad();
            sink = loss.backward();
            sgd.step();
            adam.zero_grad();
            sink = loss.backward();
            adam.step();
        }
        w.value() -= 0.5 * w.grad();
        w.value() *= 2.0;
        auto y = v * v;
        y.backward(ctgrad::ones_like(y));
        sink = a.value() + w.value()(1, 2) + v.grad()[0];
    });
    check(n == 0, "training: params, sgd, adam x10 steps, -=, *=, ones_like", n);
}

}  // namespace

int main() {
    scalar_expressions();
    let_and_iterate();
    retained_intermediates();
    tensor_ops();
    functional_layer();
    fori_loop_allocates_per_call_not_per_step();
    dyn_fusion_allocates_nothing_per_element();
    datamatrix_fusion_allocates_nothing_per_row();
    training_with_fixed_shapes();
    if (failures != 0) {
        std::printf("%d check(s) failed\n", failures);
        return 1;
    }
    std::printf("all allocation checks passed\n");
    return 0;
}
