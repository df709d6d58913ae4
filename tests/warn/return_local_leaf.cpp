// expect-warning: -Wreturn-stack-address
// Clang must warn on every line marked `// warns` and on no other line (tests/warn/check.cmake):
// returning an expression built on a local leaf or shared intermediate is caught, through any
// nesting of temporaries; code that does not dangle stays silent.
#include <ctgrad/ctgrad.hpp>

#include <vector>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

// dangling: the leaf or shared intermediate dies at the return
auto product() { leaf x{2.0, requires_grad}; return x * x; }  // warns
auto nested() { leaf x{2.0, requires_grad}; return 2.0 * ctgrad::sin(x) + 1.0; }  // warns
auto reduced() { leaf x{tensor{1.0, 2.0}, requires_grad}; return ctgrad::sum(ctgrad::exp(x) * 2.0); }  // warns
auto row() { leaf x{tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0}, requires_grad}; return x[1] * 2.0; }  // warns
auto element() { leaf x{tensor{1.0, 2.0}, requires_grad}; return x(0) - 1.0; }  // warns
auto product_of() { leaf x{tensor{1.0, 2.0}, requires_grad}; return ctgrad::dot(x, tensor{1.0, 2.0}); }  // warns
auto power() { leaf x{2.0}; return ctgrad::pow<3>(x) < 1.0; }  // warns
auto shared_local() {
    leaf x{2.0, requires_grad};
    auto t = ctgrad::share(x * x);
    return t + 1.0;  // warns
}

// not dangling: parameters by reference, plain values and temporaries, lvalue expressions (copied)
auto from_parameter(leaf<double, true>& x) { return ctgrad::sin(x) * 2.0 + x; }
auto copies(leaf<double, true>& x) {
    tensor<double, 2> c{1.0, 2.0};
    auto y = x * c;          // y is copied into the result below
    return ctgrad::sum(y * y + c) + tensor<double, 2>{3.0, 4.0}[0];
}
auto run_time_data(leaf<tensor<double, ctgrad::dyn>, true>& x) {
    std::vector<double> data{1.0, 2.0};
    return ctgrad::sum(x * tensor<double, ctgrad::dyn>{data});
}

int main() {
    leaf x{0.5, requires_grad};
    double total = from_parameter(x).value() + copies(x).value();
    // temporaries of plain values and a temporary leaf without grad are copied
    auto d = (x * ctgrad::detach(x) + 1.0) * x;
    total += d.backward();
    // leaves captured by reference
    auto loss = [&x](double s) { return s * x * x; };
    total += loss(2.0).value();
    // the functional API, let, iterate and fori_loop: handles, not references to locals
    total += ctgrad::grad([](auto a) { auto y = a * a; return y * 2.0 + ctgrad::sin(y); })(0.5);
    total += ctgrad::let(x * x + 1.0, [](auto t) { return t * t + t; }).value();
    total += ctgrad::iterate<3>(x, [](auto z) { return z * z; }).value();
    total += ctgrad::fori_loop(3, 1.0, [&x](auto p) { return p + x * p; }).value();
    leaf<tensor<double, ctgrad::dyn>, true> v{tensor<double, ctgrad::dyn>{1.0, 2.0}, requires_grad};
    total += run_time_data(v).value();
    (void)product; (void)nested; (void)reduced; (void)row; (void)element; (void)product_of;
    (void)power; (void)shared_local;
    return total > 0.0 ? 0 : 1;
}
