// expect: grad() is only available on leaves
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{2.0, requires_grad};
    auto y = x * x;
    y.backward();
#ifdef CTGRAD_FAIL
    (void)y.grad();
#endif
    return x.grad() == 4.0 ? 0 : 1;
}
