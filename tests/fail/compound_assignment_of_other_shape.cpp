// expect: compound assignment
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::tensor;

int main() {
    tensor<double, 2, 2> m{};
    m += tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0};
    m *= 2.0;
#ifdef CTGRAD_FAIL
    m += tensor{1.0, 2.0};  // a row would broadcast in m + row, but += keeps m's shape
#endif
    return m(1, 1) == 8.0 ? 0 : 1;
}
