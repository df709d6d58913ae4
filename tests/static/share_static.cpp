#include <ctgrad/ctgrad.hpp>
// Shared intermediates in constant evaluation: the diamond of share_test.cpp with doubles.
// y = 3 a^3 + a with a = x / 2: dy/dx = (9 a^2 + 1) / 2 = 3.03125 at x = 1.5 (a = 0.75).
static_assert([] {
    ctgrad::leaf x{1.5, ctgrad::requires_grad};
    auto a = ctgrad::share(x / 2.0);
    auto b = ctgrad::share(a * 3.0);
    auto c = ctgrad::share(a * a);
    auto y = b * c + a;
    y.backward();
    return x.grad();
}() == 3.03125);
// A chain of 30 shared steps t <- t * t + 0.25 from x = 0 is the sq_chain benchmark; its value
// at x = 0 after one step is 0.25, after two 0.3125 (exact in binary).
static_assert([] {
    ctgrad::leaf x{0.0, ctgrad::requires_grad};
    auto t1 = ctgrad::share(x * x + 0.25);
    auto t2 = ctgrad::share(t1 * t1 + 0.25);
    return t2.value();
}() == 0.3125);
// Two shared intermediates of one type stay distinct: d(a b + a)/dx with a = x^2, b = w^2 is
// 2 x w^2 + 2 x = 2 * 1.5 * 0.25 + 3 = 3.75.
static_assert([] {
    ctgrad::leaf x{1.5, ctgrad::requires_grad};
    ctgrad::leaf w{-0.5, ctgrad::requires_grad};
    auto a = ctgrad::share(x * x);
    auto b = ctgrad::share(w * w);
    auto y = a * b + a;
    y.backward();
    return x.grad();
}() == 3.75);
// retain_grad: h = x / 4, y = h^2 + h: h.grad() = 2 h + 1 = 2 at x = 2.
static_assert([] {
    ctgrad::leaf x{2.0, ctgrad::requires_grad};
    auto h = (x / 4.0).retain_grad();
    auto y = h * h + h;
    y.backward();
    return h.grad();
}() == 2.0);
static_assert(!ctgrad::is_leaf_v<decltype(ctgrad::share(std::declval<ctgrad::leaf<double, true>&>() * 2.0))>);
