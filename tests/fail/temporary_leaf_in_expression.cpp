// expect: temporary leaf
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{2.0, requires_grad};
    auto ok = x * 2.0 + leaf{3.0};
#ifdef CTGRAD_FAIL
    auto bad = leaf{3.0, requires_grad} * x;
    (void)bad;
#endif
    return ok.value() == 7.0 ? 0 : 1;
}
