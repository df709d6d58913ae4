// The seed example: a typed expression tree, a vector-Jacobian product, and the same result
// checked by the compiler in constant evaluation.
#include <ctgrad/ctgrad.hpp>

#include <iostream>

constexpr auto gradient_at(ctgrad::tensor<double, 3> at) {
    ctgrad::leaf x{at, ctgrad::requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    y.backward(ctgrad::tensor{1.0, 1.0, 1.0});
    return x.grad();
}
// d/dx (x^2 + 2x) = 2x + 2, checked at compile time.
static_assert(gradient_at(ctgrad::tensor{1.0, 2.0, 3.0}) == ctgrad::tensor{4.0, 6.0, 8.0});

int main() {
    ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;           // typed expression tree; nothing is computed yet
    y.backward(ctgrad::tensor{1.0, 1.0, 1.0});    // vector-Jacobian product
    std::cout << x.grad() << '\n';                // prints [4, 6, 8]
    static_assert(ctgrad::is_leaf_v<decltype(x)> && !ctgrad::is_leaf_v<decltype(y)>);
    return x.grad() == ctgrad::tensor{4.0, 6.0, 8.0} ? 0 : 1;
}
