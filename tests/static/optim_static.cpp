// Training in constant evaluation: ctgrad::params, optim::sgd and optim::adam steps inside
// static_assert, ones_like/zeros_like types and values, and tensor compound assignment.
// Compiling this file is passing. SGD numbers are exact and derived by hand in the comments;
// the Adam numbers come from tests/tools/optim_reference.py (plain Python, the documented
// torch.optim.Adam rule; rerun with `python3 tests/tools/optim_reference.py`, case "static adam").
#include <ctgrad/ctgrad.hpp>

#include <array>
#include <type_traits>
#include <vector>

using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using vec = tensor<double, dyn>;
namespace optim = ctgrad::optim;

constexpr bool close(double a, double b, double tol = 1e-12) {
    return a - b <= tol && b - a <= tol;
}

// ---- tensor compound assignment ---------------------------------------------------------------
static_assert([] {
    tensor<double, 2, 2> m{1.0, 2.0, 3.0, 4.0};
    m += tensor<double, 2, 2>{1.0, 1.0, 1.0, 1.0};  // 2 3 4 5
    m -= 2.0;                                       // 0 1 2 3
    m *= tensor<double, 2, 2>{5.0, 4.0, 3.0, 2.0};  // 0 4 6 6
    m /= 2;                                         // 0 2 3 3 (an int scalar converts)
    return m == tensor<double, 2, 2>{0.0, 2.0, 3.0, 3.0};
}());
static_assert([] {
    vec a{1.0, 2.0, 3.0};
    a += vec{1.0, 1.0, 1.0};
    a *= 2.0;
    a /= vec{4.0, 2.0, 1.0};
    a -= 0.5;
    return a == vec{0.5, 2.5, 7.5};
}());
static_assert(
    std::is_same_v<decltype(std::declval<tensor<float, 3>&>() += 1.0), tensor<float, 3>&>);
// No other shapes (a broadcast could not change the left operand's type): not even a candidate
// for a non-value right operand.
template <class A, class B>
concept compound_addable = requires(A& a, const B& b) { a += b; };
static_assert(compound_addable<tensor<double, 3>, double>);
static_assert(compound_addable<vec, vec>);
static_assert(!compound_addable<tensor<double, 3>, leaf<tensor<double, 3>>>);

// ---- ones_like / zeros_like -------------------------------------------------------------------
static_assert(std::is_same_v<decltype(ctgrad::ones_like(2.0f)), float>);
static_assert(ctgrad::ones_like(2.0f) == 1.0f && ctgrad::zeros_like(7) == 0);
static_assert(
    std::is_same_v<decltype(ctgrad::zeros_like(tensor<double, 2, 3>{})), tensor<double, 2, 3>>);
static_assert(ctgrad::ones_like(tensor{5.0, 6.0}) == tensor{1.0, 1.0});
static_assert(ctgrad::zeros_like(tensor{5.0, 6.0}) == tensor{0.0, 0.0});
static_assert([] {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = x * x;
    static_assert(std::is_same_v<decltype(ctgrad::ones_like(x)), tensor<double, 3>>);
    static_assert(std::is_same_v<decltype(ctgrad::ones_like(y)), tensor<double, 3>>);
    static_assert(std::is_same_v<decltype(ctgrad::zeros_like(ctgrad::sum(y))), double>);
    y.backward(ctgrad::ones_like(y));  // d(x^2)/dx = 2x
    return x.grad() == tensor{2.0, 4.0, 6.0} && ctgrad::zeros_like(x) == tensor{0.0, 0.0, 0.0};
}());
static_assert([] {
    leaf d{vec{1.0, 2.0}, requires_grad};
    auto e = d * 3.0;
    static_assert(std::is_same_v<decltype(ctgrad::ones_like(e)), vec>);
    const vec seed = ctgrad::ones_like(e);  // length from the evaluated value
    e.backward(seed);
    return seed == vec{1.0, 1.0} && d.grad() == vec{3.0, 3.0} &&
           ctgrad::zeros_like(d) == vec{0.0, 0.0};
}());

// ---- params -----------------------------------------------------------------------------------
static_assert([] {
    leaf a{1.0, requires_grad};
    leaf w{tensor{1.0, 2.0}, requires_grad};
    leaf d{vec{1.0, 2.0, 3.0}, requires_grad};
    auto ps = ctgrad::params(a, w, d);
    static_assert(decltype(ps)::size() == 3);
    static_assert(std::is_same_v<decltype(ps), ctgrad::param_list<leaf<double, true>,
                                                                  leaf<tensor<double, 2>, true>,
                                                                  leaf<vec, true>>>);
    return &ps.get<0>() == &a && &ps.get<1>() == &w && &ps.get<2>() == &d;  // no copies
}());
static_assert(!std::is_default_constructible_v<optim::sgd_options>);  // lr is required
static_assert(std::is_default_constructible_v<optim::adam_options>);

// ---- sgd --------------------------------------------------------------------------------------
// loss = p^2 (grad 2p), p0 = 1, lr = 0.25, momentum = 0.5:
//   step 1: g = 2,  buf = g = 2,                p = 1 - 0.25 * 2 = 0.5
//   step 2: g = 1,  buf = 0.5 * 2 + 1 = 2,      p = 0.5 - 0.25 * 2 = 0
//   step 3: g = 0,  buf = 0.5 * 2 + 0 = 1,      p = 0 - 0.25 * 1 = -0.25
static_assert([] {
    leaf p{1.0, requires_grad};
    optim::sgd opt{ctgrad::params(p), {.lr = 0.25, .momentum = 0.5}};
    auto loss = p * p;
    std::array<double, 3> out{};
    for (double& o : out) {
        opt.zero_grad();
        loss.backward();
        opt.step();
        o = p.value();
    }
    return out == std::array{0.5, 0.0, -0.25} && opt.steps() == 3;
}());
// Nesterov and weight decay on w = [1, -2], loss = sum(w * w), lr = 0.125, momentum = 0.5,
// weight_decay = 0.5: g = 2w + 0.5w = 2.5w; step 1: buf = 2.5w, g = 2.5w + 1.25w = 3.75w,
// w = w - 0.125 * 3.75w = 0.53125w = [0.53125, -1.0625].
static_assert([] {
    leaf w{tensor{1.0, -2.0}, requires_grad};
    optim::sgd opt{ctgrad::params(w),
                   {.lr = 0.125, .momentum = 0.5, .weight_decay = 0.5, .nesterov = true}};
    auto loss = ctgrad::sum(w * w);
    loss.backward();
    opt.step();
    return w.value() == tensor{0.53125, -1.0625};
}());
// A mixed list (scalar, fixed, dyn): one plain step of lr = 0.5 on loss = a^2 + sum(w^2) +
// sum(d^2) gives p - 0.5 * 2p = 0 for every element.
static_assert([] {
    leaf a{3.0, requires_grad};
    leaf w{tensor{1.0, -2.0}, requires_grad};
    leaf d{vec{4.0, 5.0, 6.0}, requires_grad};
    const auto ps = ctgrad::params(a, w, d);  // a named list works as well as a temporary
    optim::sgd opt{ps, {.lr = 0.5}};
    auto loss = a * a + ctgrad::sum(w * w) + ctgrad::sum(d * d);
    loss.backward();
    opt.step();
    return a.value() == 0.0 && w.value() == tensor{0.0, 0.0} && d.value() == vec{0.0, 0.0, 0.0};
}());

// ---- adam -------------------------------------------------------------------------------------
// Step 1 by hand: m_hat = g and v_hat = g^2, so p -= lr * g / (|g| + eps): for w = [1, -2],
// g = 2w = [2, -4], lr = 0.1: w = [1 - 0.2 / (2 + 1e-8), -2 + 0.4 / (4 + 1e-8)].
// Steps 2 and 3: tests/tools/optim_reference.py, "static adam lr=0.1 on sum(w*w)".
static_assert([] {
    leaf w{tensor{1.0, -2.0}, requires_grad};
    optim::adam opt{ctgrad::params(w), {.lr = 0.1}};
    auto loss = ctgrad::sum(w * w);
    const std::array<std::array<double, 2>, 3> want{{{0.9000000005, -1.90000000025},
                                                     {0.8004122286917928, -1.8001664861157012},
                                                     {0.7015862729460303, -1.7006233920464653}}};
    bool ok = true;
    for (const auto& row : want) {
        opt.zero_grad();
        loss.backward();
        opt.step();
        ok = ok && close(w.value()[0], row[0]) && close(w.value()[1], row[1]);
    }
    return ok && close(want[0][0], 1 - 0.2 / (2 + 1e-8)) && opt.steps() == 3;
}());
// Defaults ({}), a float scalar and a dyn tensor in one list, in constant evaluation.
static_assert([] {
    leaf f{1.0f, requires_grad};
    leaf d{vec{1.0, -2.0}, requires_grad};
    optim::adam opt{ctgrad::params(f, d), {}};
    auto loss = f * f + ctgrad::sum(d * d);
    loss.backward();
    opt.step();  // first step: each element moves by lr = 1e-3 against its gradient's sign
    return opt.options().lr == 1e-3 && f.value() < 1.0f && f.value() > 0.998f &&
           close(d.value()[0], 1 - 1e-3, 1e-10) && close(d.value()[1], -2 + 1e-3, 1e-10);
}());

int main() {}
