// Rows: e[i] on a leaf, expression or handle of rank >= 2 is row i (as in NumPy), and the gradient
// flows into that row only. Expected values by hand in the comments.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <stdexcept>
#include <type_traits>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

TEST_CASE("a row of a matrix leaf is a vector expression") {
    leaf W{tensor<double, 3, 2>{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, requires_grad};
    auto r = W[1];
    static_assert(std::is_same_v<ctgrad::value_t<decltype(r)>, tensor<double, 2>>);
    CHECK(r.value() == tensor{3.0, 4.0});
    // y = |W[1]|^2 + W[2][0] = 9 + 16 + 5; dy/dW[1] = 2 W[1] = (6, 8), dy/dW[2][0] = 1
    auto y = ctgrad::sum(W[1] * W[1]) + W[2][0];
    CHECK(y.backward() == 30.0);
    CHECK(W.grad() == tensor<double, 3, 2>{0.0, 0.0, 6.0, 8.0, 1.0, 0.0});
}

TEST_CASE("rows of rows, and of an expression") {
    leaf T{tensor<double, 2, 2, 2>{1, 2, 3, 4, 5, 6, 7, 8}, requires_grad};
    // T[1][0] = (5, 6); sum(2 T[1][0]) = 22; the gradient is 2 on T(1, 0, 0) and T(1, 0, 1)
    auto z = ctgrad::sum(T[1][0] * 2.0);
    CHECK(z.backward() == 22.0);
    CHECK(T.grad() == tensor<double, 2, 2, 2>{0, 0, 0, 0, 2, 2, 0, 0});
    T.zero_grad();
    // (T * T)[0] = rows (1, 4), (9, 16); the sum of its second row is 25 with gradient 2 T there
    auto e = ctgrad::sum((T * T)[0][1]);
    CHECK(e.backward() == 25.0);
    CHECK(T.grad() == tensor<double, 2, 2, 2>{0, 0, 6, 8, 0, 0, 0, 0});
}

TEST_CASE("a row index out of range throws when the expression is built") {
    leaf W{tensor<double, 3, 2>{}, requires_grad};
    CHECK_THROWS_AS(W[3], std::out_of_range);
    CHECK_THROWS_AS(W[-1], std::out_of_range);
}

TEST_CASE("rows in the functional API and the printed label") {
    // f(m) = m[0] . m[1]: df/dm[0] = m[1], df/dm[1] = m[0]
    auto g = ctgrad::grad([](auto m) { return ctgrad::sum(m[0] * m[1]); })(
        tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0});
    CHECK(g == tensor<double, 2, 2>{3.0, 4.0, 1.0, 2.0});
}
