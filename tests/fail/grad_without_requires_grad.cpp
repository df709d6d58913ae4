// expect: leaf does not require grad
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf c{2.0};
    leaf x{2.0, requires_grad};
#ifdef CTGRAD_FAIL
    (void)c.grad();
#endif
    return c.value() == x.grad() ? 1 : 0;
}
