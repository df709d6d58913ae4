// expect: cannot be copied
// expect-within: 20
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf x{3.0, requires_grad};
    leaf y{x.value(), requires_grad};  // an independent leaf with the same value
    auto e = x * y;
#ifdef CTGRAD_FAIL
    auto z = x;  // a copy would collect gradients x never sees
    (void)z;
#endif
    return e.backward() == 9.0 && x.grad() == 3.0 ? 0 : 1;
}
