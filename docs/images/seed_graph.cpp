// Writes the Graphviz graph of the seed expression to stdout; docs/images/seed.svg is made with
//   g++ -std=c++20 -Iinclude docs/images/seed_graph.cpp -o /tmp/seed_graph && /tmp/seed_graph | dot -Tsvg -o docs/images/seed.svg
#include <ctgrad/ctgrad.hpp>

#include <iostream>

int main() {
    ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
    auto y = ctgrad::pow<2>(x) + 2 * x;
    std::cout << ctgrad::to_dot(y);
}
