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
