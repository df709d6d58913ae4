// expect: step must return a value of the same shape as init
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{tensor{1.0, 2.0}, requires_grad};
    auto ok = ctgrad::iterate<3>(x, [](auto z) { return z * 0.5; });
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::iterate<3>(x, [](auto z) { return ctgrad::sum(z); });
    (void)bad;
#endif
    return ok.value() == tensor{0.125, 0.25} ? 0 : 1;
}
