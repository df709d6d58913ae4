// Pictures of expressions: the formula printed by operator<< and the Graphviz graph.
#include "catch.hpp"

#include <ctgrad/ctgrad.hpp>

#include <sstream>
#include <string>

TEST_CASE("operator<< prints the seed expression as a formula", "[print]") {
    ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    std::ostringstream os;
    os << y;
    CHECK(os.str() == "(pow<2>(x0) + (2 * x0))");
}

TEST_CASE("operator<< names distinct leaves and shows functions", "[print]") {
    ctgrad::leaf a{1.0, ctgrad::requires_grad};
    ctgrad::leaf b{2.0};
    auto y = exp(a * b) - b / a;
    std::ostringstream os;
    os << y;
    CHECK(os.str() == "(exp((x0 * x1)) - (x1 / x0))");
}

TEST_CASE("to_dot marks leaves, grad requirements and pruned subtrees", "[print]") {
    ctgrad::leaf x{3.0, ctgrad::requires_grad};
    ctgrad::leaf c{2.0};
    auto y = x * x + sin(c * c);
    const std::string dot = ctgrad::to_dot(y);
    CHECK(dot.rfind("digraph ctgrad {", 0) == 0);
    CHECK(dot.find("leaf x0\\nrequires_grad") != std::string::npos);
    CHECK(dot.find("label=\"leaf x1\"]") != std::string::npos);           // no grad: not filled
    CHECK(dot.find("[label=\"sin\", style=dashed]") != std::string::npos);  // no derivative code
    CHECK(dot.find("= 8.24") != std::string::npos);  // the value 9 + sin(4) = 8.2432...
}

namespace {
template <class E>
std::string formula(const E& e) {
    std::ostringstream os;
    os << e;
    return os.str();
}
}  // namespace

TEST_CASE("every op prints as it is written", "[print]") {
    ctgrad::leaf a{0.5, ctgrad::requires_grad};
    ctgrad::leaf b{2.0};
    ctgrad::leaf v{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
    ctgrad::leaf M{ctgrad::tensor<double, 2, 3>{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, ctgrad::requires_grad};
    ctgrad::leaf S{ctgrad::tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0}, ctgrad::requires_grad};

    // arithmetic and powers
    CHECK(formula(a + b) == "(x0 + x1)");
    CHECK(formula(a - b) == "(x0 - x1)");
    CHECK(formula(a * b) == "(x0 * x1)");
    CHECK(formula(a / b) == "(x0 / x1)");
    CHECK(formula(-a) == "-(x0)");
    CHECK(formula(2.0 * a) == "(2 * x0)");
    CHECK(formula(ctgrad::pow<3>(a)) == "pow<3>(x0)");
    CHECK(formula(ctgrad::pow(a, b)) == "pow(x0, x1)");

    // elementwise functions
    CHECK(formula(exp(a)) == "exp(x0)");
    CHECK(formula(log(a)) == "log(x0)");
    CHECK(formula(log1p(a)) == "log1p(x0)");
    CHECK(formula(expm1(a)) == "expm1(x0)");
    CHECK(formula(sqrt(a)) == "sqrt(x0)");
    CHECK(formula(cbrt(a)) == "cbrt(x0)");
    CHECK(formula(sin(a)) == "sin(x0)");
    CHECK(formula(cos(a)) == "cos(x0)");
    CHECK(formula(tan(a)) == "tan(x0)");
    CHECK(formula(asin(a)) == "asin(x0)");
    CHECK(formula(acos(a)) == "acos(x0)");
    CHECK(formula(atan(a)) == "atan(x0)");
    CHECK(formula(sinh(a)) == "sinh(x0)");
    CHECK(formula(cosh(a)) == "cosh(x0)");
    CHECK(formula(tanh(a)) == "tanh(x0)");
    CHECK(formula(erf(a)) == "erf(x0)");
    CHECK(formula(erfc(a)) == "erfc(x0)");
    CHECK(formula(ctgrad::sigmoid(a)) == "sigmoid(x0)");
    CHECK(formula(ctgrad::softplus(a)) == "softplus(x0)");
    CHECK(formula(ctgrad::relu(a)) == "relu(x0)");
    CHECK(formula(abs(a)) == "abs(x0)");
    CHECK(formula(atan2(a, b)) == "atan2(x0, x1)");
    CHECK(formula(hypot(a, b)) == "hypot(x0, x1)");
    CHECK(formula(ctgrad::min(a, b)) == "min(x0, x1)");
    CHECK(formula(ctgrad::max(b, a)) == "max(x0, x1)");

    // comparisons and where
    CHECK(formula(a < b) == "(x0 < x1)");
    CHECK(formula(a <= b) == "(x0 <= x1)");
    CHECK(formula(a > b) == "(x0 > x1)");
    CHECK(formula(a >= b) == "(x0 >= x1)");
    CHECK(formula(ctgrad::where(a > b, a, b * a)) == "where((x0 > x1), x0, (x1 * x0))");

    // reductions and products
    CHECK(formula(ctgrad::sum(v * v)) == "sum((x0 * x0))");
    CHECK(formula(ctgrad::mean(v)) == "mean(x0)");
    CHECK(formula(ctgrad::norm(v)) == "norm(x0)");
    CHECK(formula(ctgrad::dot(v, v)) == "dot(x0, x0)");
    CHECK(formula(ctgrad::matmul(M, v)) == "matmul(x0, x1)");
    CHECK(formula(ctgrad::matmul(S, S)) == "matmul(x0, x0)");
    CHECK(formula(ctgrad::transpose(M)) == "transpose(x0)");

    // indexing, stacking, stop_gradient
    CHECK(formula(ctgrad::at(v, 2)) == "at(x0, 2)");
    CHECK(formula(ctgrad::at(M, 1, 2) * a) == "(at(x0, 1, 2) * x1)");  // flat position 5
    CHECK(formula(ctgrad::at(M, 0, 1)) == "at(x0, 0, 1)");
    CHECK(formula(ctgrad::stack(a, b * a, 1.0)) == "stack(x0, (x1 * x0), 1)");
    CHECK(formula(M[1]) == "row(x0, 1)");
    CHECK(formula(ctgrad::stop_gradient(a) * a) == "(stop_gradient(x0) * x0)");
}
