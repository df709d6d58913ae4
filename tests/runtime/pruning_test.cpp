// Pruning proven by counting: backward of x * big, where big uses only leaves without grad,
// performs big's forward operations plus a constant number of derivative operations.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <utility>

#include "counting.hpp"

using counting_test::counted;
using counting_test::counts;
using counting_test::op_counts;

namespace {

// big = c0*c1 + c1*c2 + ... over M products of leaves without grad: M muls, M-1 adds.
template <std::size_t... I, class Leaves>
auto big_sum(Leaves& c, std::index_sequence<I...>) {
    return (... + (c[I] * c[I + 1]));
}

template <std::size_t M>
op_counts measure() {
    std::array<counted, M + 1> vals{};
    for (std::size_t i = 0; i <= M; ++i) vals[i] = 1.0 + 0.5 * static_cast<double>(i);
    ctgrad::leaf<counted, true> x{counted{2.0}};
    auto leaves = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<ctgrad::leaf<counted>, M + 1>{ctgrad::leaf<counted>{vals[I]}...};
    }(std::make_index_sequence<M + 1>{});
    auto big = big_sum(leaves, std::make_index_sequence<M>{});
    auto y = x * big;

    counts = {};
    const counted v = y.value();
    const op_counts forward = counts;
    counts = {};
    const counted vb = y.backward();
    const op_counts backward = counts;

    double expected_big = 0;
    for (std::size_t i = 0; i < M; ++i) expected_big += vals[i].v * vals[i + 1].v;
    CHECK(v.v == vb.v);
    CHECK(x.grad().v == expected_big);  // d(x * big)/dx = big
    CHECK(forward.muls == static_cast<long>(M) + 1);
    CHECK(forward.adds == static_cast<long>(M) - 1);
    return {backward.adds - forward.adds, backward.muls - forward.muls};
}

}  // namespace

TEST_CASE("backward of x * big costs big's forward plus a constant", "[core][pruning]") {
    const op_counts small = measure<2>();
    const op_counts medium = measure<16>();
    const op_counts large = measure<64>();
    // Derivative work: g * big (1 mul), assigned to the adjoint of x's node (the first and only
    // contribution: no add), then x.grad() += (1 add).
    CHECK(small.muls == 1);
    CHECK(small.adds == 1);
    CHECK(medium.muls == small.muls);
    CHECK(medium.adds == small.adds);
    CHECK(large.muls == small.muls);
    CHECK(large.adds == small.adds);
}
