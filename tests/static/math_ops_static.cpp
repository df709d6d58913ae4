// Derivatives of every elementary function at points where the value is known by hand,
// checked in constant evaluation (on Clang this exercises ctgrad's own kernels).
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

// |a - b| <= 4 ulp-ish relative (or absolute near 0).
constexpr bool near(double a, double b) {
    const double d = a > b ? a - b : b - a;
    const double m = (b < 0 ? -b : b) > 1 ? (b < 0 ? -b : b) : 1.0;
    return d <= 1e-15 * m;
}

template <class F>
constexpr double d_at(double x0, F f) {
    leaf x{x0, requires_grad};
    auto y = f(x);
    y.backward();
    return x.grad();
}

// Hand-derived derivatives.
static_assert(near(d_at(1.0, [](auto& x) { return exp(x); }), 2.718281828459045));
static_assert(d_at(2.0, [](auto& x) { return log(x); }) == 0.5);
static_assert(d_at(1.0, [](auto& x) { return log1p(x); }) == 0.5);
static_assert(d_at(0.0, [](auto& x) { return expm1(x); }) == 1.0);
static_assert(d_at(4.0, [](auto& x) { return sqrt(x); }) == 0.25);
static_assert(near(d_at(8.0, [](auto& x) { return cbrt(x); }), 1.0 / 12));
static_assert(d_at(0.0, [](auto& x) { return sin(x); }) == 1.0);
static_assert(d_at(0.0, [](auto& x) { return cos(x); }) == 0.0);
static_assert(d_at(0.0, [](auto& x) { return tan(x); }) == 1.0);
static_assert(near(d_at(0.5, [](auto& x) { return asin(x); }), 1.1547005383792515));   // 2/sqrt(3)
static_assert(near(d_at(0.5, [](auto& x) { return acos(x); }), -1.1547005383792515));
static_assert(d_at(1.0, [](auto& x) { return atan(x); }) == 0.5);
static_assert(d_at(0.0, [](auto& x) { return sinh(x); }) == 1.0);
static_assert(d_at(0.0, [](auto& x) { return cosh(x); }) == 0.0);
static_assert(d_at(0.0, [](auto& x) { return tanh(x); }) == 1.0);
static_assert(near(d_at(0.0, [](auto& x) { return erf(x); }), 1.1283791670955126));  // 2/sqrt(pi)
static_assert(near(d_at(0.0, [](auto& x) { return erfc(x); }), -1.1283791670955126));
static_assert(d_at(0.0, [](auto& x) { return ctgrad::sigmoid(x); }) == 0.25);
static_assert(d_at(0.0, [](auto& x) { return ctgrad::softplus(x); }) == 0.5);
static_assert(d_at(0.0, [](auto& x) { return ctgrad::relu(x); }) == 0.0);    // relu'(0) = 0
static_assert(d_at(-3.0, [](auto& x) { return ctgrad::relu(x); }) == 0.0);
static_assert(d_at(3.0, [](auto& x) { return ctgrad::relu(x); }) == 1.0);
static_assert(d_at(0.0, [](auto& x) { return abs(x); }) == 0.0);             // abs'(0) = 0
static_assert(d_at(-2.0, [](auto& x) { return abs(x); }) == -1.0);
// Non-trivial points: d/dx tanh at 1 = 1 - tanh(1)^2 = 0.41997434161402614.
static_assert(near(d_at(1.0, [](auto& x) { return tanh(x); }), 0.41997434161402614));
// d/dx sin at pi/6 = cos(pi/6) = sqrt(3)/2.
static_assert(near(d_at(0.5235987755982989, [](auto& x) { return sin(x); }), 0.8660254037844386));

// Binary functions: atan2(y, x) at (1, 1): (1/2, -1/2); hypot(3, 4): (3/5, 4/5).
static_assert([] {
    leaf y{1.0, requires_grad};
    leaf x{1.0, requires_grad};
    auto f = atan2(y, x);
    f.backward();
    return y.grad() == 0.5 && x.grad() == -0.5;
}());
static_assert([] {
    leaf a{3.0, requires_grad};
    leaf b{4.0, requires_grad};
    auto f = hypot(a, b);
    const double v = f.backward();
    return v == 5.0 && near(a.grad(), 0.6) && near(b.grad(), 0.8);
}());
// pow(x, p) at (2, 3): d/dx = 3 * 2^2 = 12, d/dp = 8 ln 2.
static_assert([] {
    leaf x{2.0, requires_grad};
    leaf p{3.0, requires_grad};
    auto f = ctgrad::pow(x, p);
    const double v = f.backward();
    return v == 8.0 && x.grad() == 12.0 && near(p.grad(), 5.545177444479562);
}());
// Edge conventions: d/dx x^0 = 0 and d/dp 0^p = 0 for p >= 0.
static_assert([] {
    leaf x{0.0, requires_grad};
    leaf p{0.0, requires_grad};
    auto f = ctgrad::pow(x, p);
    f.backward();
    return x.grad() == 0.0 && p.grad() == 0.0;
}());
// min/max: the selected side gets the gradient, ties split it.
static_assert([] {
    leaf a{1.0, requires_grad};
    leaf b{2.0, requires_grad};
    auto f = min(a, b) + 10.0 * max(a, b);
    f.backward();
    return a.grad() == 1.0 && b.grad() == 10.0;
}());
static_assert([] {
    leaf a{2.0, requires_grad};
    leaf b{2.0, requires_grad};
    auto f = max(a, b);
    f.backward();
    return a.grad() == 0.5 && b.grad() == 0.5;
}());

// Comparisons and where: leaky relu at -2: slope 0.1 on the selected side only.
static_assert([] {
    leaf x{-2.0, requires_grad};
    auto f = ctgrad::where(x > 0, x, 0.1 * x);
    f.backward();
    return x.grad() == 0.1;
}());
static_assert([] {
    leaf x{ctgrad::tensor{-1.0, 2.0}, requires_grad};
    auto f = ctgrad::where(x >= 0.0, x * x, -x);
    f.backward(ctgrad::tensor{1.0, 1.0});
    return x.grad();
}() == ctgrad::tensor{-1.0, 4.0});
static_assert(!ctgrad::requires_grad_v<decltype(std::declval<ctgrad::leaf<double, true>&>() < 1.0)>);

// A user-defined function: softsign(x) = x / (1 + |x|), derivative 1 / (1 + |x|)^2.
struct softsign {
    static constexpr ctgrad::op_info info{.label = "softsign", .elementwise = true};
    template <class T>
    static constexpr T value(const T& x) { return x / (1 + (x < 0 ? -x : x)); }
    template <std::size_t, class T>
    static constexpr T partial(const T&, const T& x) {
        const T d = 1 + (x < 0 ? -x : x);
        return 1 / (d * d);
    }
};
static_assert(d_at(1.0, [](auto& x) { return ctgrad::apply<softsign>(x); }) == 0.25);
static_assert(d_at(-3.0, [](auto& x) { return ctgrad::apply<softsign>(x * 1.0); }) == 1.0 / 16);
