// Leaves are identities: they cannot be copied or moved, so they are kept where they are made
// (arrays, deques, structs) and returned from functions as prvalues. Gradients are by hand.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <array>
#include <deque>
#include <type_traits>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

static_assert(!std::is_copy_constructible_v<leaf<double, true>>);
static_assert(!std::is_move_constructible_v<leaf<double, true>>);
static_assert(!std::is_copy_assignable_v<leaf<double, true>>);
static_assert(!std::is_move_assignable_v<leaf<tensor<double, 3>, false>>);
static_assert(std::is_default_constructible_v<leaf<tensor<double, 2>, true>>);

namespace {

// A factory: the leaf is built in the caller's object (guaranteed copy elision).
leaf<tensor<double, 2>, true> make_weights(double a, double b) {
    return leaf{tensor{a, b}, requires_grad};
}

// Parameters and their loss in one struct: the struct cannot be copied either, so a copy can
// never write into the original's leaves.
struct model {
    leaf<double, true> w{2.0, requires_grad};
    leaf<double, true> b{};  // zeros
    double loss(double x, double y) {
        auto r = w * x + b - y;
        return (r * r).backward();
    }
};

}  // namespace

TEST_CASE("a default-constructed leaf holds zeros") {
    leaf<double, true> s;
    leaf<tensor<double, 2, 2>, true> t{};
    leaf<tensor<double, ctgrad::dyn>, false> d;
    CHECK(s.value() == 0.0);
    CHECK(s.grad() == 0.0);
    CHECK(t.value() == tensor<double, 2, 2>{0.0, 0.0, 0.0, 0.0});
    CHECK(t.grad() == tensor<double, 2, 2>{0.0, 0.0, 0.0, 0.0});
    CHECK(d.value().size() == 0);
}

TEST_CASE("an array of leaves, set and differentiated in place") {
    std::array<leaf<double, true>, 2> p{};
    p[0].value() = 3.0;
    p[1].value() = -2.0;
    auto y = p[0] * p[0] * p[1];  // d/dp0 = 2 p0 p1 = -12, d/dp1 = p0^2 = 9
    CHECK(y.backward() == -18.0);
    CHECK(p[0].grad() == -12.0);
    CHECK(p[1].grad() == 9.0);
}

TEST_CASE("a deque keeps its leaves where they are while it grows") {
    std::deque<leaf<double, true>> layers;
    layers.emplace_back(1.5, requires_grad);
    auto first = layers.front() * 2.0;
    for (int i = 0; i < 100; ++i) layers.emplace_back(0.0, requires_grad);
    // still refers to the same leaf: d(2 l0)/dl0 = 2
    CHECK(first.backward() == 3.0);
    CHECK(layers.front().grad() == 2.0);
}

TEST_CASE("a function returns a leaf as a prvalue") {
    auto w = make_weights(1.0, 2.0);
    auto y = ctgrad::sum(w * w);  // gradient 2 w
    CHECK(y.backward() == 5.0);
    CHECK(w.grad() == tensor{2.0, 4.0});
}

TEST_CASE("a struct holding parameters and its loss") {
    model m;
    // loss = (w x + b - y)^2 at w = 2, b = 0, x = 3, y = 5: r = 1, dl/dw = 2 r x = 6, dl/db = 2
    CHECK(m.loss(3.0, 5.0) == 1.0);
    CHECK(m.w.grad() == 6.0);
    CHECK(m.b.grad() == 2.0);
    static_assert(!std::is_copy_constructible_v<model>);
}
