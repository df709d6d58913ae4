// A user-defined structural op through the public entry point (ctgrad::make_node): its value
// written out by hand, its gradient checked against central finite differences.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <sstream>

namespace {

// y_i = x_0 + ... + x_i over a rank-1 tensor; dL/dx_j = g_j + ... + g_(n-1).
struct cumsum {
    static constexpr ctgrad::op_info info{.label = "cumsum"};
    static constexpr void forward(ctgrad::no_payload, auto& s, auto&, const auto& x) {
        s.v = x;
        for (std::size_t i = 1; i < x.elems.size(); ++i) s.v.elems[i] += s.v.elems[i - 1];
    }
    template <class In>
    static constexpr void backward(ctgrad::no_payload, const auto&, const auto& g, auto&, const In& in) {
        if constexpr (In::active) {
            double acc = 0;
            for (std::size_t j = g.elems.size(); j-- > 0;) in.adj->elems[j] += (acc += g.elems[j]);
        }
    }
};

// y = c * x with c stored in the node; dL/dx = c g. Its value type is given by `result`.
struct scale_by {
    static constexpr ctgrad::op_info info{.label = "scale_by"};
    using payload = double;
    template <class V>
    using result = V;
    static constexpr void forward(double c, auto& s, auto&, const auto& x) { s.v = x * c; }
    template <class In>
    static constexpr void backward(double c, const auto&, const auto& g, auto&, const In& in) {
        if constexpr (In::active) *in.adj += g * c;
    }
};

template <class F>
double central_difference(F f, std::array<double, 4> x, std::size_t i) {
    const double h = 1e-6;
    std::array<double, 4> up = x, down = x;
    up[i] += h;
    down[i] -= h;
    return (f(up) - f(down)) / (2 * h);
}

}  // namespace

static_assert(ctgrad::valid_op<cumsum> && ctgrad::valid_op<scale_by>);

TEST_CASE("a user-defined structural op: value, gradient, printout", "[custom]") {
    ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0, 4.0}, ctgrad::requires_grad};
    auto c = ctgrad::make_node<cumsum>(x);
    CHECK((c.value() == ctgrad::tensor{1.0, 3.0, 6.0, 10.0}));

    // f(x) = sum(cumsum(x)^2) * 1.5, an elementwise region over the op's value
    auto f = ctgrad::make_node_with_payload<scale_by>(1.5, ctgrad::sum(ctgrad::pow<2>(ctgrad::make_node<cumsum>(x))));
    const auto plain = [](std::array<double, 4> v) {
        double run = 0, s = 0;
        for (double vi : v) {
            run += vi;
            s += run * run;
        }
        return 1.5 * s;
    };
    CHECK(f.backward() == Approx(1.5 * (1 + 9 + 36 + 100)));
    const std::array<double, 4> at{1.0, 2.0, 3.0, 4.0};
    for (std::size_t i = 0; i < 4; ++i) CHECK(x.grad()[i] == Approx(central_difference(plain, at, i)).epsilon(1e-6));
    // by hand: df/dx_j = 1.5 * 2 * (y_j + ... + y_3) with y = (1, 3, 6, 10): 60, 57, 48, 30
    CHECK(x.grad()[0] == Approx(60.0));
    CHECK(x.grad()[3] == Approx(30.0));

    std::ostringstream os;
    os << f;
    CHECK(os.str() == "scale_by(sum(pow<2>(cumsum(x0))))");
}

TEST_CASE("a user-defined op in constant evaluation", "[custom]") {
    static_assert([] {
        ctgrad::leaf x{ctgrad::tensor{1.0, 2.0}, ctgrad::requires_grad};
        auto y = ctgrad::sum(ctgrad::make_node<cumsum>(x));  // x0 + (x0 + x1)
        return y.backward() == 4.0 && x.grad()[0] == 2.0 && x.grad()[1] == 1.0;
    }());
}
