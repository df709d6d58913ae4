// expect: index count mismatch
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf m{tensor<double, 2, 2>{1.0, 2.0, 3.0, 4.0}, requires_grad};
    auto ok = m(1, 0) * 2.0;
#ifdef CTGRAD_FAIL
    auto bad = m(1);
    (void)bad;
#endif
    return ok.value() == 6.0 ? 0 : 1;
}
