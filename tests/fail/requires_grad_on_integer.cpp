// expect: only floating-point values can require gradients
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf n{tensor{1, 2}};
    leaf x{1.0, requires_grad};
#ifdef CTGRAD_FAIL
    leaf bad{3, requires_grad};
    (void)bad;
#endif
    return n.value()[0] == 1 && x.value() == 1.0 ? 0 : 1;
}
