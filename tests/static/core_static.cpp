// Core behaviour checked in constant evaluation: compiling this file is passing.
// Expected values are derived by hand in the comments.
#include <ctgrad/ctgrad.hpp>

#include <type_traits>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

// The seed example: d/dx (x^2 + 2x) = 2x + 2 at [1, 2, 3] is [4, 6, 8].
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    y.backward(tensor{1.0, 1.0, 1.0});
    return x.grad();
}() == tensor{4.0, 6.0, 8.0});

// The README's one-liner.
static_assert([] { leaf x{3.0, requires_grad}; auto y = x * x; y.backward(); return x.grad(); }() == 6.0);

// A seed that is not all ones scales the vector-Jacobian product: [4, 6, 8] * [1, 0, -2].
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    y.backward(tensor{1.0, 0.0, -2.0});
    return x.grad();
}() == tensor{4.0, 0.0, -16.0});

// Product rule: f = x*y at (3, 4): df/dx = 4, df/dy = 3; backward returns f = 12.
static_assert([] {
    leaf x{3.0, requires_grad};
    leaf y{4.0, requires_grad};
    auto f = x * y;
    const double v = f.backward();
    return v == 12.0 && x.grad() == 4.0 && y.grad() == 3.0;
}());

// Quotient: f = x / y at (3, 4): df/dx = 1/4, df/dy = -3/16 (exact in binary).
static_assert([] {
    leaf x{3.0, requires_grad};
    leaf y{4.0, requires_grad};
    auto f = x / y;
    f.backward();
    return x.grad() == 0.25 && y.grad() == -0.1875;
}());

// Subtraction and unary minus: f = -(x - 2y) at any point: df/dx = -1, df/dy = 2.
static_assert([] {
    leaf x{1.5, requires_grad};
    leaf y{-7.0, requires_grad};
    auto f = -(x - 2 * y);
    f.backward();
    return x.grad() == -1.0 && y.grad() == 2.0;
}());

// Scalar on either side, int literals converted: f = 1 / x + 3 - x * 2 at x = 2: f' = -1/4 - 2.
static_assert([] {
    leaf x{2.0, requires_grad};
    auto f = 1 / x + 3 - x * 2;
    const double v = f.backward();
    return v == 0.5 + 3 - 4 && x.grad() == -2.25;
}());

// A leaf used twice (and three times): f = x*x*x at 2: f' = 3x^2 = 12.
static_assert([] { leaf x{2.0, requires_grad}; auto f = x * x * x; f.backward(); return x.grad(); }() == 12.0);

// pow<N> including negative and zero exponents: d/dx x^-2 = -2 x^-3 = -1/4 at 2; x^0 has 0.
static_assert([] { leaf x{2.0, requires_grad}; auto f = ctgrad::pow<-2>(x); f.backward(); return x.grad(); }() == -0.25);
static_assert([] { leaf x{2.0, requires_grad}; auto f = ctgrad::pow<0>(x) + x; f.backward(); return x.grad(); }() == 1.0);
static_assert([] { leaf x{2.0, requires_grad}; auto f = ctgrad::pow<5>(x); return f.value(); }() == 32.0);

// Accumulation: two backward passes add; zero_grad resets; backward re-reads the leaf's value.
static_assert([] {
    leaf x{2.0, requires_grad};
    auto y = x * x;
    y.backward();
    y.backward();
    const double twice = x.grad();  // 2 * 4
    x.zero_grad();
    const double zero = x.grad();
    x.value() = 5.0;                // the expression sees the new value
    const double v = y.backward();
    return twice == 8.0 && zero == 0.0 && v == 25.0 && x.grad() == 10.0;
}());

// Gradient descent on f = (x - 3)^2 from x = 0 with rate 1/4: x <- x - (x - 3)/2, exact halving
// of the distance to 3: after 4 steps x = 3 - 3/16.
static_assert([] {
    leaf x{0.0, requires_grad};
    auto loss = ctgrad::pow<2>(x - 3.0);
    for (int i = 0; i < 4; ++i) {
        x.zero_grad();
        loss.backward();
        x.value() -= 0.25 * x.grad();
    }
    return x.value();
}() == 3.0 - 3.0 / 16);

// A leaf is an expression: x.backward(seed) adds seed to x.grad().
static_assert([] {
    leaf x{tensor{1.0, 2.0}, requires_grad};
    x.backward(tensor{0.5, -1.0});
    x.backward(tensor{0.5, -1.0});
    return x.grad();
}() == tensor{1.0, -2.0});

// retain_grad: h = x*x (retained), y = 3h: dy/dh = 3, dy/dx = 3 * 2x = 12 at x = 2; accumulates.
static_assert([] {
    leaf x{2.0, requires_grad};
    auto h = (x * x).retain_grad();
    auto y = h * 3.0;
    y.backward();
    const bool first = h.grad() == 3.0 && x.grad() == 12.0;
    y.backward();
    const bool second = h.grad() == 6.0 && x.grad() == 24.0;
    h.zero_grad();
    return first && second && h.grad() == 0.0;
}());

// A retained intermediate used twice: y = h*h with h = x + 1 at x = 1: dy/dh = 2h = 4.
static_assert([] {
    leaf x{1.0, requires_grad};
    auto h = (x + 1.0).retain_grad();
    auto y = h * h;
    y.backward();
    return h.grad() == 4.0 && x.grad() == 4.0;
}());

// detach: d = x*x as a constant leaf; y = x * d: dy/dx = d = 25 at x = 5.
static_assert([] {
    leaf x{5.0, requires_grad};
    auto d = ctgrad::detach(x * x);
    auto y = x * d;
    y.backward();
    return x.grad() == 25.0 && d.value() == 25.0 && !d.requires_grad();
}());

// stop_gradient is lazy: y = x * sg(x*x): dy/dx = x^2 = 25 at 5, and it follows x's value.
static_assert([] {
    leaf x{5.0, requires_grad};
    auto y = x * ctgrad::stop_gradient(x * x);
    y.backward();
    const bool a = x.grad() == 25.0;
    x.value() = 2.0;
    x.zero_grad();
    y.backward();
    return a && x.grad() == 4.0;
}());

// let: w = t*t + t with t = x*x + 1 at x = 0.5: t = 1.25, dw/dx = (2t + 1) * 2x = 3.5.
static_assert([] {
    leaf x{0.5, requires_grad};
    auto w = ctgrad::let(x * x + 1.0, [](auto t) { return t * t + t; });
    const double v = w.backward();
    return v == 1.25 * 1.25 + 1.25 && x.grad() == 3.5;
}());

// Nested let using the outer handle: a = 2x, b = a*a, r = b + a = 4x^2 + 2x: r' = 8x + 2 = 26 at 3.
static_assert([] {
    leaf x{3.0, requires_grad};
    auto r = ctgrad::let(x * 2.0, [](auto a) { return ctgrad::let(a * a, [a](auto b) { return b + a; }); });
    const double v = r.backward();
    return v == 42.0 && x.grad() == 26.0;
}());

// let returning its handle, and a let body that ignores its handle (gradient 0 through it).
static_assert([] {
    leaf x{3.0, requires_grad};
    auto r = ctgrad::let(x * x, [](auto t) { return t; });
    r.backward();
    return x.grad();
}() == 6.0);

// iterate<N>: t(k+1) = t(k)^2 + 1/4 from x = 1/8. Derivative by the chain rule, d(k+1) = 2 t(k) d(k),
// computed by a hand-written loop; compared with a relative tolerance (summation order differs).
constexpr bool close(double a, double b) { return (a - b <= 1e-12 * (b < 0 ? -b : b)) && (b - a <= 1e-12 * (b < 0 ? -b : b)); }
constexpr bool iterate_matches_loop() {
    double t = 0.125, d = 1.0;
    for (int k = 0; k < 30; ++k) {
        d = 2 * t * d;
        t = t * t + 0.25;
    }
    leaf x{0.125, requires_grad};
    auto z = ctgrad::iterate<30>(x, [](auto s) { return s * s + 0.25; });
    const double v = z.backward();
    return v == t && close(x.grad(), d);
}
static_assert(iterate_matches_loop());

// iterate with the step index: z(k+1) = 2 z(k) + k from 1: 2, 5, 12; dz3/dz0 = 8.
static_assert([] {
    leaf x{1.0, requires_grad};
    auto z = ctgrad::iterate<3>(x, [](auto k, auto s) { return s * 2.0 + k; });
    const double v = z.backward();
    return v == 12.0 && x.grad() == 8.0;
}());

// iterate where only a captured parameter requires grad: z(k+1) = a * z(k) from 1: z3 = a^3,
// dz3/da = 3a^2 = 12 at a = 2.
static_assert([] {
    leaf a{2.0, requires_grad};
    auto z = ctgrad::iterate<3>(1.0, [&a](auto s) { return a * s; });
    const double v = z.backward();
    return v == 8.0 && a.grad() == 12.0;
}());

// A let handle inside a loop step: z(k+1) = z(k) * h with h = let(2a) and z(0) = h, so
// z2 = h^3 = 8 a^3 and dz2/da = 24 a^2 = 24 at a = 1.
static_assert([] {
    leaf a{1.0, requires_grad};
    auto z = ctgrad::let(a * 2.0, [](auto h) { return ctgrad::iterate<2>(h, [&](auto s) { return s * h; }); });
    const double v = z.backward();
    return v == 8.0 && a.grad() == 24.0;
}());

// An inner loop over the outer loop's state and index: inner b(j+1) = b(j) * s + k from b(0) = s,
// so one outer step maps s to s^3 + k s + k. From y = 1: 1 -> 1 (k = 0) -> 1 + 1 + 1 = 3 (k = 1);
// d/ds of s^3 + k s + k is 3 s^2 + k: (3 + 0) * (3 + 1) = 12.
static_assert([] {
    leaf y{1.0, requires_grad};
    auto z = ctgrad::iterate<2>(y, [](auto k, auto s) {
        return ctgrad::iterate<2>(s, [&](auto b) { return b * s + k; });
    });
    const double v = z.backward();
    return v == 3.0 && y.grad() == 12.0;
}());

// Traits of leaves, intermediates, retained and stopped expressions.
constexpr bool traits_hold() {
    leaf x{1.0, requires_grad};
    leaf c{2.0};
    auto y = x * c;
    auto z = c * c;
    auto h = y.retain_grad();
    auto s = ctgrad::stop_gradient(y);
    auto d = ctgrad::detach(y);
    static_assert(ctgrad::is_leaf_v<decltype(x)> && ctgrad::requires_grad_v<decltype(x)>);
    static_assert(ctgrad::is_leaf_v<decltype(c)> && !ctgrad::requires_grad_v<decltype(c)>);
    static_assert(!ctgrad::is_leaf_v<decltype(y)> && ctgrad::requires_grad_v<decltype(y)>);
    static_assert(ctgrad::is_leaf_v<decltype(z)> && !ctgrad::requires_grad_v<decltype(z)>);
    static_assert(!ctgrad::is_leaf_v<decltype(h)> && ctgrad::requires_grad_v<decltype(h)>);
    static_assert(ctgrad::is_leaf_v<decltype(s)> && !ctgrad::requires_grad_v<decltype(s)>);
    static_assert(ctgrad::is_leaf_v<decltype(d)> && !ctgrad::requires_grad_v<decltype(d)>);
    static_assert(ctgrad::is_leaf_v<const decltype(x)&> && ctgrad::requires_grad_v<decltype(y)&&>);
    static_assert(decltype(x)::requires_grad() && decltype(x)::is_leaf());
    static_assert(!decltype(c)::requires_grad() && !decltype(y)::is_leaf());
    static_assert(ctgrad::expression<decltype(x)> && ctgrad::expression<decltype(y)>);
    static_assert(!ctgrad::expression<double> && !ctgrad::expression<tensor<double, 2>>);
    static_assert(std::is_same_v<ctgrad::value_t<decltype(x)>, double>);
    static_assert(std::is_same_v<ctgrad::value_t<decltype(y)>, double>);
    static_assert(std::is_same_v<ctgrad::value_t<ctgrad::leaf<tensor<float, 2, 3>, true>>, tensor<float, 2, 3>>);
    static_assert(std::is_same_v<decltype(x), ctgrad::leaf<double, true>>);
    static_assert(std::is_same_v<decltype(c), ctgrad::leaf<double, false>>);
    return h.value() == 2.0 && s.value() == 2.0 && d.value() == 2.0;
}
static_assert(traits_hold());

// Scalars: float, long double and int tensors (no grad).
static_assert([] { leaf x{2.0f, requires_grad}; auto y = x * x * 3; y.backward(); return x.grad(); }() == 12.0f);
static_assert([] { leaf x{2.0L, requires_grad}; auto y = x / 4; y.backward(); return x.grad(); }() == 0.25L);
static_assert(ctgrad::scalar<int> && !ctgrad::differentiable_scalar<int> && ctgrad::differentiable_scalar<float>);
static_assert([] { leaf n{tensor{1, 2, 3}}; auto y = n * 2; return y.value(); }() == tensor{2, 4, 6});

// item() on a one-element expression and leaf; value() of a tensor expression.
static_assert([] { leaf x{tensor<double, 1>{4.0}, requires_grad}; auto y = x * x; return y.item(); }() == 16.0);
static_assert([] { leaf x{3.0}; return x.item(); }() == 3.0);
