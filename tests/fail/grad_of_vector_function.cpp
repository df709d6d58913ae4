// expect: scalar-output functions
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::tensor;

int main() {
    const tensor<double, 2> p{1.0, 2.0};
    const auto g = ctgrad::grad([](auto v) { return ctgrad::sum(v * v); })(p);
#ifdef CTGRAD_FAIL
    const auto bad = ctgrad::grad([](auto v) { return v * v; })(p);
    (void)bad;
#endif
    return g == tensor{2.0, 4.0} ? 0 : 1;
}
