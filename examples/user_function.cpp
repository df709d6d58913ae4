// A user-defined differentiable function: softsign(x) = x / (1 + |x|).
//
// An op states its value rule and its local derivative on scalars; ctgrad lifts it to tensors,
// broadcasting and the reverse pass, exactly as for its own functions. The same struct could
// call into a special-function library at run time (its value and partial need not be constexpr
// unless you use them in constant evaluation).
#include <ctgrad/ctgrad.hpp>

#include <iostream>

struct softsign {
    static constexpr ctgrad::op_info info{.label = "softsign", .elementwise = true};
    template <class T>
    static constexpr T value(const T& x) {
        return x / (1 + (x < 0 ? -x : x));
    }
    // partial<I>(y, x...): derivative of the value with respect to input I, given y = value(x...).
    template <std::size_t I, class T>
    static constexpr T partial(const T& /*y*/, const T& x) {
        const T d = 1 + (x < 0 ? -x : x);
        return 1 / (d * d);
    }
};

template <class E>
constexpr auto soft(E&& e) {
    return ctgrad::apply<softsign>(std::forward<E>(e));
}

// d/dx softsign(x) at 1 is 1/4 and at -3 is 1/16: checked by the compiler.
static_assert([] {
    ctgrad::leaf x{ctgrad::tensor{1.0, -3.0}, ctgrad::requires_grad};
    auto y = soft(x);
    y.backward(ctgrad::tensor{1.0, 1.0});
    return x.grad();
}() == ctgrad::tensor{0.25, 1.0 / 16});

int main() {
    ctgrad::leaf x{ctgrad::tensor{0.5, -2.0, 4.0}, ctgrad::requires_grad};
    auto y = soft(x) * x;  // composes with everything else
    y.backward(ctgrad::tensor{1.0, 1.0, 1.0});
    std::cout << "softsign(x) * x = " << y.value() << ", gradient " << x.grad() << '\n';
    // d/dx [x s(x)] = s(x) + x s'(x): at 0.5: 1/3 + 0.5 * 4/9 = 5/9.
    const double expected = 1.0 / 3 + 0.5 * 4.0 / 9;
    const double got = x.grad()[0];
    return (got - expected < 1e-15 && expected - got < 1e-15) ? 0 : 1;
}
