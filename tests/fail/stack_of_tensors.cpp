// expect: stack(e0, e1, ...): shape mismatch
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{tensor{1.0, 2.0}, requires_grad};
    auto ok = ctgrad::stack(x[0], x[1] * 2.0);
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::stack(x[0], x);
    (void)bad;
#endif
    return ok.value() == tensor{1.0, 4.0} ? 0 : 1;
}
