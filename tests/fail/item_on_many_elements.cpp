// expect: only one element tensors can be converted to scalars
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    [[maybe_unused]] leaf x{tensor{1.0, 2.0}};
    leaf s{tensor<double, 1>{5.0}};
#ifdef CTGRAD_FAIL
    (void)x.item();
#endif
    return s.item() == 5.0 ? 0 : 1;
}
