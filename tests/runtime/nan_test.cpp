// NaN and infinity through every elementwise function and operator at run time.
//
// A NaN input must give a NaN gradient wherever the derivative depends on that input: never a
// crash, an exception or a silent zero. The few places where a finite gradient is mathematically
// right are checked explicitly (each has a comment): derivatives that do not depend on the operand
// (+, -, the selected side of where), a function that is constant in the operand (x^0, 1^p), the
// other operand of a product, and where's unselected side. Infinite inputs give what the IEEE rules
// give for the value and for the derivative formula (documented in docs/math.md).
#include "catch.hpp"
#include "support.hpp"

#include <ctgrad/ctgrad.hpp>

#include <cmath>
#include <limits>
#include <utility>

using ctgrad_test::opaque;
using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

namespace {

const double qnan = std::numeric_limits<double>::quiet_NaN();
const double pinf = std::numeric_limits<double>::infinity();


struct value_and_derivative {
    double value, d;
};
struct value_and_partials {
    double value, da, db;
};

// f(x) and df/dx at x, through an expression and backward().
template <class F>
value_and_derivative diff1(F f, double x0) {
    leaf x{opaque(x0), requires_grad};
    auto y = f(x);
    const double v = y.backward();
    return {v, x.grad()};
}

// f(a, b) and both partials, through an expression and backward().
template <class F>
value_and_partials diff2(F f, double a0, double b0) {
    leaf a{opaque(a0), requires_grad};
    leaf b{opaque(b0), requires_grad};
    auto y = f(a, b);
    const double v = y.backward();
    return {v, a.grad(), b.grad()};
}

bool is_nan(double v) { return std::isnan(v); }

}  // namespace

TEST_CASE("NaN through the unary functions gives a NaN value and a NaN gradient", "[nan]") {
    // Every one of these has a derivative that depends on x, so f'(NaN) is NaN.
    const auto check = [](const char* name, auto f) {
        INFO(name);
        const auto r = diff1(f, qnan);
        CHECK(is_nan(r.value));
        CHECK(is_nan(r.d));
    };
    check("exp", [](auto& x) { return ctgrad::exp(x); });
    check("log", [](auto& x) { return ctgrad::log(x); });
    check("log1p", [](auto& x) { return ctgrad::log1p(x); });
    check("expm1", [](auto& x) { return ctgrad::expm1(x); });
    check("sqrt", [](auto& x) { return ctgrad::sqrt(x); });
    check("cbrt", [](auto& x) { return ctgrad::cbrt(x); });
    check("sin", [](auto& x) { return ctgrad::sin(x); });
    check("cos", [](auto& x) { return ctgrad::cos(x); });
    check("tan", [](auto& x) { return ctgrad::tan(x); });
    check("asin", [](auto& x) { return ctgrad::asin(x); });
    check("acos", [](auto& x) { return ctgrad::acos(x); });
    check("atan", [](auto& x) { return ctgrad::atan(x); });
    check("sinh", [](auto& x) { return ctgrad::sinh(x); });
    check("cosh", [](auto& x) { return ctgrad::cosh(x); });
    check("tanh", [](auto& x) { return ctgrad::tanh(x); });
    check("sigmoid", [](auto& x) { return ctgrad::sigmoid(x); });
    check("softplus", [](auto& x) { return ctgrad::softplus(x); });
    check("relu", [](auto& x) { return ctgrad::relu(x); });
    check("abs", [](auto& x) { return ctgrad::abs(x); });
    check("erf", [](auto& x) { return ctgrad::erf(x); });
    check("erfc", [](auto& x) { return ctgrad::erfc(x); });
    check("pow<2>", [](auto& x) { return ctgrad::pow<2>(x); });
    check("pow<3>", [](auto& x) { return ctgrad::pow<3>(x); });
    check("pow<-1>", [](auto& x) { return ctgrad::pow<-1>(x); });
    check("pow<-2>", [](auto& x) { return ctgrad::pow<-2>(x); });
    check("-x * x", [](auto& x) { return -x * x; });
    check("1 / x", [](auto& x) { return 1.0 / x; });
    check("min(x, x)", [](auto& x) { return ctgrad::min(x, x); });
}

TEST_CASE("NaN where a finite derivative is mathematically right", "[nan]") {
    // x^1 = x and x^0 = 1: the derivatives 1 and 0 do not depend on x.
    auto p1 = diff1([](auto& x) { return ctgrad::pow<1>(x); }, qnan);
    CHECK(is_nan(p1.value));
    CHECK(p1.d == 1.0);
    auto p0 = diff1([](auto& x) { return ctgrad::pow<0>(x); }, qnan);
    CHECK(p0.value == 1.0);
    CHECK(p0.d == 0.0);
    // Unary minus: the derivative is -1 whatever x is.
    auto n = diff1([](auto& x) { return -x; }, qnan);
    CHECK(is_nan(n.value));
    CHECK(n.d == -1.0);
}

TEST_CASE("NaN through + - * /", "[nan]") {
    // + and -: the partials are constants, so they stay 1 and -1 (as in PyTorch).
    for (auto [a, b] : {std::pair{qnan, 2.0}, std::pair{2.0, qnan}, std::pair{qnan, qnan}}) {
        auto s = diff2([](auto& x, auto& y) { return x + y; }, a, b);
        CHECK(is_nan(s.value));
        CHECK(s.da == 1.0);
        CHECK(s.db == 1.0);
        auto d = diff2([](auto& x, auto& y) { return x - y; }, a, b);
        CHECK(is_nan(d.value));
        CHECK(d.da == 1.0);
        CHECK(d.db == -1.0);
    }
    // a * b: d/da = b, d/db = a. A NaN in a makes d/db NaN; d/da is the finite b.
    auto m = diff2([](auto& x, auto& y) { return x * y; }, qnan, 2.0);
    CHECK(is_nan(m.value));
    CHECK(m.da == 2.0);
    CHECK(is_nan(m.db));
    // a / b: d/da = 1/b (finite when only a is NaN), d/db = -a/b^2.
    auto q = diff2([](auto& x, auto& y) { return x / y; }, qnan, 2.0);
    CHECK(is_nan(q.value));
    CHECK(q.da == 0.5);
    CHECK(is_nan(q.db));
    auto r = diff2([](auto& x, auto& y) { return x / y; }, 2.0, qnan);
    CHECK(is_nan(r.value));
    CHECK(is_nan(r.da));
    CHECK(is_nan(r.db));
}

TEST_CASE("NaN through the binary functions", "[nan]") {
    const auto both_nan = [](const char* name, auto f, double a, double b) {
        INFO(name << "(" << a << ", " << b << ")");
        const auto r = diff2(f, a, b);
        CHECK(is_nan(r.value));
        CHECK(is_nan(r.da));
        CHECK(is_nan(r.db));
    };
    const auto atan2_f = [](auto& x, auto& y) { return ctgrad::atan2(x, y); };
    const auto hypot_f = [](auto& x, auto& y) { return ctgrad::hypot(x, y); };
    const auto min_f = [](auto& x, auto& y) { return ctgrad::min(x, y); };
    const auto max_f = [](auto& x, auto& y) { return ctgrad::max(x, y); };
    const auto pow_f = [](auto& x, auto& y) { return ctgrad::pow(x, y); };
    for (auto [a, b] : {std::pair{qnan, 1.5}, std::pair{1.5, qnan}, std::pair{qnan, qnan}, std::pair{qnan, 0.0}, std::pair{0.0, qnan}}) {
        both_nan("atan2", atan2_f, a, b);
        both_nan("hypot", hypot_f, a, b);
        // min/max: with a NaN operand neither side is selected; the result and both partials are NaN.
        both_nan("min", min_f, a, b);
        both_nan("max", max_f, a, b);
    }
    both_nan("pow", pow_f, qnan, 2.5);
    both_nan("pow", pow_f, 2.5, qnan);
    both_nan("pow", pow_f, qnan, qnan);
    both_nan("pow", pow_f, -1.0, qnan);

    // IEEE: pow(x, 0) = 1 for every x, NaN included, and pow(1, p) = 1 for every p.
    // d/dx x^0 = 0 (x^0 is constant); d/dp x^p at p = 0 is log(x), NaN here.
    auto z = diff2(pow_f, qnan, 0.0);
    CHECK(z.value == 1.0);
    CHECK(z.da == 0.0);
    CHECK(is_nan(z.db));
    // d/dp 1^p = log(1) = 0 (1^p is constant); d/dx x^p at x = 1 is p, NaN here.
    auto o = diff2(pow_f, 1.0, qnan);
    CHECK(o.value == 1.0);
    CHECK(is_nan(o.da));
    CHECK(o.db == 0.0);
    // IEEE: hypot(±pinf, NaN) = +pinf. The partials a/h and b/h are NaN/pinf and pinf/pinf: NaN,
    // never a silent zero.
    auto h = diff2(hypot_f, pinf, qnan);
    CHECK(h.value == pinf);
    CHECK(is_nan(h.db));
}

TEST_CASE("NaN through where and the comparisons", "[nan]") {
    // Comparisons with NaN are false, so where(x > 0, ...) selects the other side.
    leaf x{opaque(qnan), requires_grad};
    auto lr = ctgrad::where(x > 0.0, x, 0.1 * x);  // leaky relu: the 0.1 x side is chosen
    CHECK(is_nan(lr.backward()));
    CHECK(x.grad() == 0.1);  // d(0.1 x)/dx = 0.1: the derivative of the chosen side does not depend on x

    // The selected side receives the seed (d/da of `a` is 1 even at NaN); the unselected side
    // receives exactly 0, which is right: its value does not reach the result.
    leaf a{opaque(qnan), requires_grad};
    leaf b{opaque(qnan), requires_grad};
    leaf c{opaque(1.0)};
    auto w = ctgrad::where(c > 0.0, a, b);
    CHECK(is_nan(w.backward()));
    CHECK(a.grad() == 1.0);  // selected
    CHECK(b.grad() == 0.0);  // unselected: a zero that is mathematically right
    a.zero_grad();
    b.zero_grad();
    auto w2 = ctgrad::where(c < 0.0, a * a, 3.0 * b);
    CHECK(is_nan(w2.backward()));
    // a * a is unselected: its node's adjoint is exactly 0, but the chain rule multiplies that 0
    // by d(a * a)/da = 2a = NaN, so a.grad() is NaN (see the next test case).
    CHECK(is_nan(a.grad()));
    CHECK(b.grad() == 3.0);  // d(3b)/db
}

TEST_CASE("where: a NaN in the derivative of the unselected side still reaches the leaf", "[nan]") {
    // Known behaviour, shared with PyTorch and JAX: the unselected side's node gets adjoint 0, and
    // the chain rule multiplies it by that node's own local derivative; 0 * NaN (or 0 * inf) is NaN.
    // Here d(sqrt(b))/db at b = -1 is NaN, so b.grad() is NaN although sqrt(b) is never selected.
    leaf b{opaque(-1.0), requires_grad};
    auto y = ctgrad::where(b > 0.0, ctgrad::sqrt(b), 0.0 * b);
    CHECK(y.backward() == 0.0);
    CHECK(is_nan(b.grad()));
    // The fix is the "double where": make the unselected side's input safe as well.
    b.zero_grad();
    auto safe = ctgrad::where(b > 0.0, b, 1.0);
    auto y2 = ctgrad::where(b > 0.0, ctgrad::sqrt(safe), 0.0 * b);
    CHECK(y2.backward() == 0.0);
    CHECK(b.grad() == 0.0);
}

TEST_CASE("NaN in tensors: reductions and products spread it only where it belongs", "[nan]") {
    leaf x{tensor{opaque(1.0), opaque(qnan), opaque(-2.0)}, requires_grad};
    auto s = ctgrad::sum(x * x);
    CHECK(is_nan(s.backward()));
    CHECK(x.grad()[0] == 2.0);
    CHECK(is_nan(x.grad()[1]));
    CHECK(x.grad()[2] == -4.0);

    x.zero_grad();
    auto m = ctgrad::mean(x);  // d/dx_i = 1/3 whatever x is
    CHECK(is_nan(m.backward()));
    CHECK(x.grad() == tensor{1.0 / 3, 1.0 / 3, 1.0 / 3});

    // norm: every partial x_i / ||x|| has ||x|| = NaN in it.
    x.zero_grad();
    auto n = ctgrad::norm(x);
    CHECK(is_nan(n.backward()));
    for (double g : x.grad()) CHECK(is_nan(g));

    // dot(x, w): d/dx = w (finite), d/dw = x (NaN in one element).
    x.zero_grad();
    leaf w{tensor{opaque(0.5), opaque(0.25), opaque(4.0)}, requires_grad};
    auto d = ctgrad::dot(x, w);
    CHECK(is_nan(d.backward()));
    CHECK(x.grad() == tensor{0.5, 0.25, 4.0});
    CHECK(w.grad()[0] == 1.0);
    CHECK(is_nan(w.grad()[1]));
    CHECK(w.grad()[2] == -2.0);

    // matmul: dA = G B^T, dB = A^T G. A NaN in A reaches every element of dB in its row's column.
    leaf A{tensor<double, 2, 2>{opaque(1.0), opaque(qnan), opaque(3.0), opaque(4.0)}, requires_grad};
    leaf B{tensor<double, 2, 2>{opaque(1.0), opaque(2.0), opaque(3.0), opaque(4.0)}, requires_grad};
    auto C = ctgrad::sum(ctgrad::matmul(A, B));
    CHECK(is_nan(C.backward()));
    // dA[i][p] = sum_j B[p][j]: finite.
    CHECK(A.grad() == tensor<double, 2, 2>{3.0, 7.0, 3.0, 7.0});
    // dB[p][j] = sum_i A[i][p]: the column p = 1 contains the NaN.
    CHECK(B.grad()(0, 0) == 4.0);
    CHECK(B.grad()(0, 1) == 4.0);
    CHECK(is_nan(B.grad()(1, 0)));
    CHECK(is_nan(B.grad()(1, 1)));
}

TEST_CASE("infinite inputs give what the IEEE rules give", "[nan][inf]") {
    struct expectation {
        const char* name;
        double x, value, d;  // d is NaN where the IEEE rules make the derivative NaN
    };
    const auto check = [](const expectation& e, auto f) {
        INFO(e.name << "(" << e.x << ")");
        const auto r = diff1(f, e.x);
        if (is_nan(e.value)) CHECK(is_nan(r.value));
        else CHECK(r.value == Approx(e.value));
        if (is_nan(e.d)) CHECK(is_nan(r.d));
        else CHECK(r.d == Approx(e.d));
    };
    const double pi = 3.14159265358979323846;
    check({"exp", pinf, pinf, pinf}, [](auto& x) { return ctgrad::exp(x); });
    check({"exp", -pinf, 0.0, 0.0}, [](auto& x) { return ctgrad::exp(x); });
    check({"log", pinf, pinf, 0.0}, [](auto& x) { return ctgrad::log(x); });
    check({"log", 0.0, -pinf, pinf}, [](auto& x) { return ctgrad::log(x); });
    check({"log", -pinf, qnan, -0.0}, [](auto& x) { return ctgrad::log(x); });  // 1/x = -0
    check({"log1p", pinf, pinf, 0.0}, [](auto& x) { return ctgrad::log1p(x); });
    check({"log1p", -1.0, -pinf, pinf}, [](auto& x) { return ctgrad::log1p(x); });
    check({"expm1", -pinf, -1.0, 0.0}, [](auto& x) { return ctgrad::expm1(x); });
    check({"expm1", pinf, pinf, pinf}, [](auto& x) { return ctgrad::expm1(x); });
    check({"sqrt", pinf, pinf, 0.0}, [](auto& x) { return ctgrad::sqrt(x); });
    check({"sqrt", 0.0, 0.0, pinf}, [](auto& x) { return ctgrad::sqrt(x); });
    check({"cbrt", pinf, pinf, 0.0}, [](auto& x) { return ctgrad::cbrt(x); });
    check({"cbrt", 0.0, 0.0, pinf}, [](auto& x) { return ctgrad::cbrt(x); });
    check({"sin", pinf, qnan, qnan}, [](auto& x) { return ctgrad::sin(x); });
    check({"cos", -pinf, qnan, qnan}, [](auto& x) { return ctgrad::cos(x); });
    check({"tan", pinf, qnan, qnan}, [](auto& x) { return ctgrad::tan(x); });
    check({"asin", 1.0, pi / 2, pinf}, [](auto& x) { return ctgrad::asin(x); });
    check({"acos", 1.0, 0.0, -pinf}, [](auto& x) { return ctgrad::acos(x); });
    check({"asin", pinf, qnan, qnan}, [](auto& x) { return ctgrad::asin(x); });
    check({"atan", pinf, pi / 2, 0.0}, [](auto& x) { return ctgrad::atan(x); });
    check({"atan", -pinf, -pi / 2, 0.0}, [](auto& x) { return ctgrad::atan(x); });
    check({"sinh", -pinf, -pinf, pinf}, [](auto& x) { return ctgrad::sinh(x); });
    check({"cosh", -pinf, pinf, -pinf}, [](auto& x) { return ctgrad::cosh(x); });
    check({"tanh", pinf, 1.0, 0.0}, [](auto& x) { return ctgrad::tanh(x); });
    check({"tanh", -pinf, -1.0, 0.0}, [](auto& x) { return ctgrad::tanh(x); });
    check({"sigmoid", pinf, 1.0, 0.0}, [](auto& x) { return ctgrad::sigmoid(x); });
    check({"sigmoid", -pinf, 0.0, 0.0}, [](auto& x) { return ctgrad::sigmoid(x); });
    check({"softplus", pinf, pinf, 1.0}, [](auto& x) { return ctgrad::softplus(x); });
    check({"softplus", -pinf, 0.0, 0.0}, [](auto& x) { return ctgrad::softplus(x); });
    check({"relu", pinf, pinf, 1.0}, [](auto& x) { return ctgrad::relu(x); });
    check({"relu", -pinf, 0.0, 0.0}, [](auto& x) { return ctgrad::relu(x); });
    check({"abs", -pinf, pinf, -1.0}, [](auto& x) { return ctgrad::abs(x); });
    check({"erf", pinf, 1.0, 0.0}, [](auto& x) { return ctgrad::erf(x); });
    check({"erfc", -pinf, 2.0, 0.0}, [](auto& x) { return ctgrad::erfc(x); });
    check({"pow<2>", -pinf, pinf, -pinf}, [](auto& x) { return ctgrad::pow<2>(x); });
    check({"pow<-1>", pinf, 0.0, -0.0}, [](auto& x) { return ctgrad::pow<-1>(x); });
    check({"pow<-1>", 0.0, pinf, -pinf}, [](auto& x) { return ctgrad::pow<-1>(x); });
    check({"1/x", 0.0, pinf, -pinf}, [](auto& x) { return 1.0 / x; });
    check({"x*x", pinf, pinf, pinf}, [](auto& x) { return x * x; });
    check({"x-x", pinf, qnan, 0.0}, [](auto& x) { return x - x; });  // pinf - pinf is NaN; d/dx = 1 - 1

    // Binary: the partials of atan2 and hypot at infinity are the limits (0 and ±1), and min/max
    // with an infinite operand select it like any other value.
    const auto atan2_f = [](auto& x, auto& y) { return ctgrad::atan2(x, y); };
    const auto hypot_f = [](auto& x, auto& y) { return ctgrad::hypot(x, y); };
    auto at = diff2(atan2_f, 1.0, pinf);  // atan2(1, pinf) = 0; d/da = b/(a^2+b^2) -> 0, d/db -> 0
    CHECK(at.value == 0.0);
    CHECK(at.da == 0.0);
    CHECK(at.db == 0.0);
    auto at2 = diff2(atan2_f, -pinf, 2.0);  // -pi/2; d/da -> 0, d/db -> 0
    CHECK(at2.value == Approx(-pi / 2));
    CHECK(at2.da == 0.0);
    CHECK(at2.db == 0.0);
    auto hy = diff2(hypot_f, -pinf, 3.0);  // pinf; d/da = a/h -> -1, d/db = b/h -> 0
    CHECK(hy.value == pinf);
    CHECK(hy.da == -1.0);
    CHECK(hy.db == 0.0);
    auto mn = diff2([](auto& x, auto& y) { return ctgrad::min(x, y); }, -pinf, 3.0);
    CHECK(mn.value == -pinf);
    CHECK(mn.da == 1.0);
    CHECK(mn.db == 0.0);
    auto mx = diff2([](auto& x, auto& y) { return ctgrad::max(x, y); }, pinf, pinf);  // a tie: half each
    CHECK(mx.value == pinf);
    CHECK(mx.da == 0.5);
    CHECK(mx.db == 0.5);
    // pow(x, p): pow(pinf, 2) = pinf, d/dx = 2 pinf = pinf, d/dp = pinf log(pinf) = pinf.
    auto pw = diff2([](auto& x, auto& y) { return ctgrad::pow(x, y); }, pinf, 2.0);
    CHECK(pw.value == pinf);
    CHECK(pw.da == pinf);
    CHECK(pw.db == pinf);
    // pow(0, -1) = pinf (pole): d/dx = -1 * 0^-2 = -pinf.
    auto pz = diff2([](auto& x, auto& y) { return ctgrad::pow(x, y); }, 0.0, -1.0);
    CHECK(pz.value == pinf);
    CHECK(pz.da == -pinf);
}

TEST_CASE("NaN does not throw and does not stop later evaluations", "[nan]") {
    leaf x{opaque(qnan), requires_grad};
    auto y = ctgrad::exp(x) * ctgrad::sin(x) + ctgrad::sqrt(ctgrad::abs(x));
    CHECK_NOTHROW(y.backward());
    CHECK(is_nan(x.grad()));
    // A NaN gradient is sticky until zero_grad, as in PyTorch; after a good input it is finite again.
    x.value() = opaque(0.5);
    x.zero_grad();
    y.backward();
    CHECK(std::isfinite(x.grad()));
}
