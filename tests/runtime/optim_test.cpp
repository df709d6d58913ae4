// Training: ctgrad::params, ctgrad::optim::sgd and ctgrad::optim::adam against torch.optim's
// documented update rules, plus tensor compound assignment and ones_like/zeros_like.
//
// Every expected parameter value below was printed by tests/tools/optim_reference.py, a plain
// Python transcription of the pseudo-code of torch.optim.SGD and torch.optim.Adam (no code of
// ctgrad involved). Rerun it with `python3 tests/tools/optim_reference.py`; each block below names
// the case it comes from.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "support.hpp"

namespace {

using ctgrad::dyn;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;
using vec3 = tensor<double, 3>;
using rows = std::array<std::array<double, 3>, 3>;

// The gradients of the "given gradients" cases (GIVEN in the script), one per step.
constexpr std::array<vec3, 3> given{vec3{0.5, -1.0, 2.0}, vec3{1.5, 0.25, -1.0},
                                    vec3{-0.5, 2.0, 0.75}};

void check_close(double got, double want) {
    CHECK(got == Approx(want).epsilon(1e-12).margin(1e-15));
}

template <class V, std::size_t N>
void check_close(const V& got, const std::array<double, N>& want) {
    REQUIRE(got.size() == N);
    for (std::size_t i = 0; i < N; ++i) check_close(got[i], want[i]);
}

// Runs three steps of `opt` on p = [1, -2, 3] with the given gradients (P0 in the script) and
// checks the value after each step.
template <class Opt>
void run_given(leaf<vec3, true>& p, Opt& opt, const rows& want) {
    for (std::size_t t = 0; t < 3; ++t) {
        opt.zero_grad();
        p.backward(given[t]);  // a leaf's backward adds the seed to its grad
        opt.step();
        INFO("step " << t + 1);
        check_close(p.value(), want[t]);
    }
    CHECK(opt.steps() == 3);
}

template <class F>
std::string invalid_argument_message(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

}  // namespace

// ---- SGD ----------------------------------------------------------------------------------------

TEST_CASE("sgd without momentum: p -= lr * g", "[optim][sgd]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.1}};
    // sgd lr=0.1
    run_given(p, opt, rows{{{0.95, -1.9, 2.8},
                            {0.7999999999999999, -1.9249999999999998, 2.9},
                            {0.85, -2.125, 2.8249999999999997}}});
}

TEST_CASE("sgd with momentum: the buffer starts as the first gradient", "[optim][sgd]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.1, .momentum = 0.9}};
    // sgd lr=0.1 momentum=0.9
    run_given(p, opt, rows{{{0.95, -1.9, 2.8},
                            {0.7549999999999999, -1.835, 2.7199999999999998},
                            {0.6295, -1.9765, 2.5729999999999995}}});
}

TEST_CASE("sgd with momentum and dampening", "[optim][sgd]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.1, .momentum = 0.9, .dampening = 0.5}};
    // sgd lr=0.1 momentum=0.9 dampening=0.5 (the first step is not dampened)
    run_given(p, opt, rows{{{0.95, -1.9, 2.8},
                            {0.83, -1.8224999999999998, 2.67},
                            {0.7469999999999999, -1.85275, 2.5155}}});
}

TEST_CASE("sgd with Nesterov momentum", "[optim][sgd]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.1, .momentum = 0.9, .nesterov = true}};
    // sgd lr=0.1 momentum=0.9 nesterov
    run_given(p, opt, rows{{{0.905, -1.81, 2.62},
                            {0.5795, -1.7765, 2.648},
                            {0.5165500000000001, -2.10385, 2.4407}}});
}

TEST_CASE("sgd with weight decay", "[optim][sgd]") {
    SECTION("without momentum") {
        leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
        ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.1, .weight_decay = 0.01}};
        // sgd lr=0.1 weight_decay=0.01
        run_given(p, opt, rows{{{0.949, -1.898, 2.797},
                                {0.798051, -1.9211019999999999, 2.894203},
                                {0.8472529489999999, -2.1191808979999998, 2.816308797}}});
    }
    SECTION("with momentum") {
        leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
        ctgrad::optim::sgd opt{ctgrad::params(p),
                               {.lr = 0.1, .momentum = 0.9, .weight_decay = 0.01}};
        // sgd lr=0.1 momentum=0.9 weight_decay=0.01
        run_given(p, opt, rows{{{0.949, -1.898, 2.797},
                                {0.7521509999999999, -1.829302, 2.711503},
                                {0.6242347489999999, -1.965644498, 2.556844197}}});
    }
}

TEST_CASE("sgd options: defaults, and invalid values throw as in torch", "[optim][sgd]") {
    leaf p{1.0, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(p), {.lr = 0.5}};
    CHECK(opt.options().lr == 0.5);
    CHECK(opt.options().momentum == 0.0);
    CHECK(opt.options().dampening == 0.0);
    CHECK(opt.options().weight_decay == 0.0);
    CHECK(!opt.options().nesterov);

    const auto make = [&p](ctgrad::optim::sgd_options o) {
        ctgrad::optim::sgd bad{ctgrad::params(p), o};
    };
    CHECK(invalid_argument_message([&] { make({.lr = -0.1}); }).find("learning rate") !=
          std::string::npos);
    CHECK_THROWS_AS(make({.lr = 0.1, .momentum = -0.5}), std::invalid_argument);
    CHECK_THROWS_AS(make({.lr = 0.1, .weight_decay = -1.0}), std::invalid_argument);
    CHECK(invalid_argument_message([&] { make({.lr = 0.1, .nesterov = true}); })
              .find("Nesterov") != std::string::npos);
    CHECK_THROWS_AS(make({.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}),
                    std::invalid_argument);
    CHECK_NOTHROW(make({.lr = 0.1, .momentum = 0.9, .nesterov = true}));

    // A learning rate changed through options() applies from the next step.
    opt.zero_grad();
    p.backward(ctgrad_test::opaque(2.0));
    opt.options().lr = 0.25;
    opt.step();
    CHECK(p.value() == 0.5);
}

// ---- Adam ---------------------------------------------------------------------------------------

TEST_CASE("adam with {} uses torch's defaults", "[optim][adam]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::adam opt{ctgrad::params(p), {}};
    CHECK(opt.options().lr == 1e-3);
    CHECK(opt.options().betas.first == 0.9);
    CHECK(opt.options().betas.second == 0.999);
    CHECK(opt.options().eps == 1e-8);
    CHECK(opt.options().weight_decay == 0.0);
    // adam defaults
    run_given(p, opt, rows{{{0.99900000002, -1.9990000000099999, 2.999000000005},
                            {0.998082218909227, -1.9985305318452344, 2.9987336629670245},
                            {0.9975985270661643, -1.9989323564386776, 2.998335181672032}}});
}

TEST_CASE("adam with bias correction over several steps", "[optim][adam]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::adam opt{ctgrad::params(p), {.lr = 0.1, .betas = {0.8, 0.9}, .eps = 1e-6}};
    // adam lr=0.1 betas=(0.8, 0.9) eps=1e-6
    run_given(p, opt, rows{{{0.9000001999996, -1.9000000999999, 2.900000049999975},
                            {0.8075154953077608, -1.8570695941702962, 2.8785772442041773},
                            {0.763794735069989, -1.9047809639266882, 2.840309294126136}}});
}

TEST_CASE("adam with weight decay", "[optim][adam]") {
    leaf p{vec3{1.0, -2.0, 3.0}, requires_grad};
    ctgrad::optim::adam opt{ctgrad::params(p), {.lr = 0.05, .weight_decay = 0.1}};
    // adam lr=0.05 weight_decay=0.1
    run_given(p, opt, rows{{{0.9500000008333334, -1.9500000004166667, 2.950000000217391},
                            {0.9033826680880179, -1.9182366333562575, 2.928878422375625},
                            {0.8758162414233389, -1.93127205566129, 2.901186030353337}}});
}

TEST_CASE("adam options: invalid values throw as in torch", "[optim][adam]") {
    leaf p{1.0, requires_grad};
    const auto make = [&p](ctgrad::optim::adam_options o) {
        ctgrad::optim::adam bad{ctgrad::params(p), o};
    };
    CHECK_THROWS_AS(make({.lr = -1.0}), std::invalid_argument);
    CHECK_THROWS_AS(make({.betas = {1.0, 0.999}}), std::invalid_argument);
    CHECK_THROWS_AS(make({.betas = {0.9, -0.1}}), std::invalid_argument);
    CHECK_THROWS_AS(make({.eps = -1e-8}), std::invalid_argument);
    CHECK_THROWS_AS(make({.weight_decay = -0.1}), std::invalid_argument);
    CHECK_NOTHROW(make({}));
}

// ---- a mixed parameter list driven by a real loss ----------------------------------------------

// loss = a * sum(w * w) + sum(d * d * d) with a scalar a, a fixed w and a dyn d (MIXED0 in the
// script): dL/da = sum(w^2), dL/dw = 2 a w, dL/dd = 3 d^2.
TEST_CASE("a scalar, a fixed tensor and a dyn tensor trained by one optimizer", "[optim]") {
    leaf a{1.5, requires_grad};
    leaf w{tensor{0.5, -1.0}, requires_grad};
    leaf d{tensor{std::vector<double>{1.0, -0.5, 2.0}}, requires_grad};
    auto loss = a * ctgrad::sum(w * w) + ctgrad::sum(d * d * d);
    using want_t = std::array<std::array<double, 6>, 3>;
    const auto check_step = [&](const std::array<double, 6>& want) {
        check_close(a.value(), want[0]);
        check_close(w.value(), std::array{want[1], want[2]});
        check_close(d.value(), std::array{want[3], want[4], want[5]});
    };

    SECTION("sgd") {
        ctgrad::optim::sgd opt{ctgrad::params(a, w, d), {.lr = 0.05, .momentum = 0.5}};
        // mixed sgd lr=0.05 momentum=0.5
        const want_t want{{{1.4375, 0.425, -0.85, 0.85, -0.5375, 1.4},
                           {1.36109375, 0.32640625, -0.6528125, 0.666625, -0.5995859375,
                            0.8059999999999999},
                           {1.2962553649902344, 0.23268242431640623, -0.46536484863281247,
                            0.50827916640625, -0.6845544007171631, 0.4115546}}};
        for (const auto& row : want) {
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_step(row);
        }
    }
    SECTION("adam") {
        ctgrad::optim::adam opt{ctgrad::params(a, w, d), {.lr = 0.1}};
        // mixed adam lr=0.1
        const want_t want{{{1.4000000008, 0.40000000066666663, -0.9000000003333333,
                            0.9000000003333333, -0.5999999986666666, 1.9000000000833333},
                           {1.3014385084543332, 0.3017839708887903, -0.8008276054971483,
                            0.8010907783811203, -0.6993380498751702, 1.8003978896130486},
                           {1.2054554839462497, 0.20705017839805118, -0.7031381378689316,
                            0.7041537958715121, -0.7981541111843734, 1.7014877284518328}}};
        for (const auto& row : want) {
            opt.zero_grad();
            loss.backward();
            opt.step();
            check_step(row);
        }
    }
}

TEST_CASE("zero_grad zeroes every parameter's gradient and keeps dyn lengths", "[optim]") {
    leaf a{1.5, requires_grad};
    leaf w{tensor{0.5, -1.0}, requires_grad};
    leaf d{tensor{std::vector<double>{1.0, -0.5, 2.0}}, requires_grad};
    auto loss = a * ctgrad::sum(w * w) + ctgrad::sum(d * d * d);
    ctgrad::optim::sgd opt{ctgrad::params(a, w, d), {.lr = 0.1}};

    loss.backward();
    loss.backward();  // gradients accumulate until zeroed, as in torch
    CHECK(a.grad() == 2 * 1.25);
    CHECK(w.grad() == tensor{3.0, -6.0});
    CHECK(d.grad() == tensor{std::vector<double>{6.0, 1.5, 24.0}});

    opt.zero_grad();
    CHECK(a.grad() == 0.0);
    CHECK(w.grad() == tensor{0.0, 0.0});
    CHECK(d.grad() == tensor{std::vector<double>{0.0, 0.0, 0.0}});

    // A step on zero gradients changes nothing.
    opt.step();
    CHECK(a.value() == 1.5);
    CHECK(w.value() == tensor{0.5, -1.0});

    // The list zeroes too.
    loss.backward();
    ctgrad::params(a, w, d).zero_grad();
    CHECK(a.grad() == 0.0);
    CHECK(d.grad().size() == 3);
}

TEST_CASE("params of float leaves; the optimizer computes in the element type", "[optim]") {
    leaf f{1.0f, requires_grad};
    leaf g{tensor{2.0f, -4.0f}, requires_grad};
    static_assert(decltype(ctgrad::params(f, g))::size() == 2);
    ctgrad::optim::sgd opt{ctgrad::params(f, g), {.lr = 0.25}};
    auto loss = f * f + ctgrad::sum(g * g);
    loss.backward();
    opt.step();  // p -= 0.25 * 2 p: every value halves, exactly
    CHECK(f.value() == 0.5f);
    CHECK(g.value() == tensor{1.0f, -2.0f});
}

TEST_CASE("a dyn parameter whose length changed after the optimizer was made", "[optim]") {
    leaf a{1.0, requires_grad};  // listed first: nothing is updated when a later length is wrong
    leaf d{tensor{std::vector<double>{1.0, 2.0}}, requires_grad};
    ctgrad::optim::adam opt{ctgrad::params(a, d), {}};
    a.backward(1.0);
    d.value() = tensor{std::vector<double>{1.0, 2.0, 3.0}};
    d.zero_grad();
    const std::string msg = invalid_argument_message([&] { opt.step(); });
    CHECK(msg.find("state and value: length mismatch: 2 vs 3") != std::string::npos);
    CHECK(d.value() == tensor{std::vector<double>{1.0, 2.0, 3.0}});  // not updated
    CHECK(a.value() == 1.0);
    CHECK(opt.steps() == 0);
}

// ---- tensor compound assignment -----------------------------------------------------------------

TEST_CASE("tensors: += -= *= /= with a same-shape tensor or a scalar", "[optim][tensor]") {
    const double two = ctgrad_test::opaque(2.0);
    tensor<double, 2, 2> m{1.0, 2.0, 3.0, 4.0};
    m += tensor<double, 2, 2>{1.0, 1.0, 1.0, 1.0};
    CHECK(m == tensor<double, 2, 2>{2.0, 3.0, 4.0, 5.0});
    m -= two;
    CHECK(m == tensor<double, 2, 2>{0.0, 1.0, 2.0, 3.0});
    m *= tensor<double, 2, 2>{5.0, 4.0, 3.0, 2.0};
    CHECK(m == tensor<double, 2, 2>{0.0, 4.0, 6.0, 6.0});
    (m /= two) += 1.0;  // each returns the tensor
    CHECK(m == tensor<double, 2, 2>{1.0, 3.0, 4.0, 4.0});

    // The update of a tensor parameter.
    leaf w{tensor{1.0, -2.0}, requires_grad};
    auto loss = ctgrad::sum(w * w);
    loss.backward();
    w.value() -= 0.25 * w.grad();
    CHECK(w.value() == tensor{0.5, -1.0});

    // dyn: elementwise with an equal length; a different length throws naming both.
    tensor<double, dyn> a{1.0, 2.0, 3.0};
    a += tensor<double, dyn>{1.0, 1.0, 1.0};
    a *= two;
    a /= tensor<double, dyn>{4.0, 2.0, 1.0};
    a -= 0.5;
    CHECK(a == tensor<double, dyn>{0.5, 2.5, 7.5});
    const tensor<double, dyn> b{1.0, 2.0};
    for (auto apply : {+[](tensor<double, dyn>& x, const tensor<double, dyn>& y) { x += y; },
                       +[](tensor<double, dyn>& x, const tensor<double, dyn>& y) { x -= y; },
                       +[](tensor<double, dyn>& x, const tensor<double, dyn>& y) { x *= y; },
                       +[](tensor<double, dyn>& x, const tensor<double, dyn>& y) { x /= y; }}) {
        const std::string msg = invalid_argument_message([&] { apply(a, b); });
        CHECK(msg.find("length mismatch: 3 vs 2") != std::string::npos);
        CHECK(a == tensor<double, dyn>{0.5, 2.5, 7.5});  // unchanged
    }
}

// ---- ones_like / zeros_like ---------------------------------------------------------------------

TEST_CASE("ones_like and zeros_like: value type and shape of a value, leaf or expression",
          "[optim][like]") {
    CHECK(ctgrad::ones_like(ctgrad_test::opaque(3.0)) == 1.0);
    CHECK(ctgrad::zeros_like(tensor{1.0f, 2.0f}) == tensor{0.0f, 0.0f});

    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = x * x;
    y.backward(ctgrad::ones_like(y));
    CHECK(x.grad() == tensor{2.0, 4.0, 6.0});

    // dyn: the length comes from the value (an expression is evaluated for it).
    leaf d{tensor{std::vector<double>{1.0, 2.0, 3.0, 4.0}}, requires_grad};
    auto e = d * 3.0;
    const auto seed = ctgrad::ones_like(e);
    CHECK(seed == tensor{std::vector<double>{1.0, 1.0, 1.0, 1.0}});
    e.backward(seed);
    CHECK(d.grad() == tensor{std::vector<double>{3.0, 3.0, 3.0, 3.0}});
    CHECK(ctgrad::zeros_like(d) == tensor{std::vector<double>{0.0, 0.0, 0.0, 0.0}});

    // A view gives the tensor it would be copied into.
    const std::vector<double> data{5.0, 6.0};
    const auto from_view = ctgrad::ones_like(ctgrad::view(data));
    CHECK(from_view == tensor{std::vector<double>{1.0, 1.0}});
}

TEST_CASE("params: a leaf listed twice is rejected, distinct leaves of one type are not", "[optim]") {
    ctgrad::leaf<double, true> a{1.0}, b{2.0};
    ctgrad::leaf w{ctgrad::tensor{1.0, 2.0}, ctgrad::requires_grad};
    CHECK_THROWS_AS(ctgrad::params(a, w, a), std::invalid_argument);
    CHECK_THROWS_WITH(ctgrad::params(w, w), Catch::Contains("listed twice"));
    CHECK_NOTHROW(ctgrad::params(a, b, w));
    CHECK(ctgrad::params(a, b, w).size() == 3);
}
