// Tests that know which path ran: each case states the plan the evaluator chose
// (ctgrad::evaluation_plan) and then observes that path at run time, by the order of a sum (SIMD
// packs) or by counting operations (pre-accumulation, kept values). A path switched off where it
// is used, rather than where it is chosen, fails here. Expected counts are derived by hand in the
// comments.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <cstddef>

#include "counting.hpp"

using counting_test::counted;
using counting_test::counts;
using counting_test::op_counts;
using ctgrad::evaluation_plan;
using ctgrad::leaf;
using ctgrad::region_strategy;
using ctgrad::requires_grad;
using ctgrad::tensor;

TEST_CASE("a packed sum adds each lane's elements apart", "[fusion][strategy]") {
    // W lanes (2 doubles with SSE2, 4 with AVX, 8 with AVX-512), 2W elements: 1e17 at 0,
    // -1e17 at W, 1 elsewhere. Lane 0 sums 1e17 - 1e17 = 0, every other lane 1 + 1 = 2, then
    // the lanes are added: 2 (W - 1). One element at a time every 1 added to 1e17 is lost (its
    // ulp is 16): 0 + (W - 1) = W - 1.
    constexpr std::size_t W = ctgrad::detail::pack<double>::width;
    tensor<double, 2 * W> ys{};
    for (std::size_t i = 0; i < 2 * W; ++i) ys[i] = 1.0;
    ys[0] = 1e17;
    ys[W] = -1e17;
    const leaf y{ys};
    leaf a{1.0, requires_grad};
    auto f = ctgrad::sum(y * a);
    using P = evaluation_plan<decltype(f)>;
    static_assert(P::packs && P::nodes[0].region == region_strategy::preaccumulate);
    CHECK(f.value() == 2.0 * (W - 1));
    CHECK(f.backward() == 2.0 * (W - 1));
    // df/da = sum y, pre-accumulated in the same packs
    CHECK(a.grad() == 2.0 * (W - 1));
}

TEST_CASE("a region with exp runs in packs", "[fusion][strategy]") {
    // f = sum(exp(y) * a - b) over 2W elements: exp(y_0) = E (about 1e17), b_W = 2E with
    // y_W = y_0, so element W is -E; every other element is exp(0) * 1 - 0 = 1. In packs lane 0
    // sums E - E = 0 and the others 2 each: 2 (W - 1); one element at a time the ones added to E
    // are lost: W - 1 (as in the test above).
    constexpr std::size_t W = ctgrad::detail::pack<double>::width;
    const double y0 = 39.14394658089878;  // log(1e17)
    tensor<double, 2 * W> ys{}, bs{};
    ys[0] = ys[W] = y0;
    const double E = std::exp(y0);
    bs[W] = 2 * E;
    const leaf y{ys};
    const leaf b{bs};
    leaf a{1.0, requires_grad};
    auto f = ctgrad::sum(exp(y) * a - b);
    using P = evaluation_plan<decltype(f)>;
    static_assert(P::packs && P::nodes[0].region == region_strategy::preaccumulate);
    CHECK(f.value() == 2.0 * (W - 1));
    CHECK(f.backward() == 2.0 * (W - 1));
}

TEST_CASE("pre-accumulation: backward() makes one pass over the elements", "[fusion][strategy]") {
    // f = sum(y * a) over N data elements, a a scalar parameter.
    // value(): per element y * a and the running sum: N muls, N adds.
    // backward(), pre-accumulating: per element y * a, the partial at seed 1 (1 * y) and its sum,
    // and the running sum: 2N muls, 2N adds; then seed * sum and grad += it: 1 mul, 1 add.
    // (Recomputing instead would take 3N muls: the reverse rule evaluates y * a again.)
    constexpr std::size_t N = 8;
    tensor<counted, N> data{};
    for (std::size_t i = 0; i < N; ++i) data.elems[i] = 0.5 * static_cast<double>(i + 1);
    const leaf y{data};
    leaf<counted, true> a{counted{2.0}};
    auto f = ctgrad::sum(y * a);
    static_assert(evaluation_plan<decltype(f)>::nodes[0].region == region_strategy::preaccumulate);
    counts = {};
    const counted v = f.value();
    const op_counts forward = counts;
    counts = {};
    const counted vb = f.backward();
    const op_counts backward = counts;
    CHECK(v.v == 36.0);  // 2 * (0.5 + 1 + ... + 4) = 2 * 18
    CHECK(vb.v == 36.0);
    CHECK(a.grad().v == 18.0);
    CHECK(forward.muls == static_cast<long>(N));
    CHECK(forward.adds == static_cast<long>(N));
    CHECK(backward.muls == static_cast<long>(2 * N + 1));
    CHECK(backward.adds == static_cast<long>(2 * N + 1));
}

TEST_CASE("a one-node region keeps its values for the reverse rule", "[fusion][strategy]") {
    // f = sum(x * x) over N parameter elements (each use of x is its own node).
    // value(): N muls, N adds.
    // backward(), keeping x * x: the forward loop as value(); the reverse rule reads the kept
    // values and gives each use g * x (1 mul) added to grad (1 add): 3N muls, 3N adds in all.
    // (Recomputing instead would take 4N muls.)
    constexpr std::size_t N = 6;
    tensor<counted, N> init{};
    for (std::size_t i = 0; i < N; ++i) init.elems[i] = static_cast<double>(i);
    leaf<tensor<counted, N>, true> x{init};
    auto f = ctgrad::sum(x * x);
    static_assert(evaluation_plan<decltype(f)>::nodes[0].region == region_strategy::keep);
    counts = {};
    const counted v = f.value();
    const op_counts forward = counts;
    counts = {};
    f.backward();
    const op_counts backward = counts;
    CHECK(v.v == 55.0);  // 0 + 1 + 4 + 9 + 16 + 25
    for (std::size_t i = 0; i < N; ++i) CHECK(x.grad().elems[i].v == 2.0 * static_cast<double>(i));
    CHECK(forward.muls == static_cast<long>(N));
    CHECK(forward.adds == static_cast<long>(N));
    CHECK(backward.muls == static_cast<long>(3 * N));
    CHECK(backward.adds == static_cast<long>(3 * N));
}
