// expect: can't retain_grad
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf c{2.0};
    leaf x{2.0, requires_grad};
    auto h = (x * c).retain_grad();
#ifdef CTGRAD_FAIL
    auto bad = (c * c).retain_grad();
    (void)bad;
#endif
    return h.value() == 4.0 ? 0 : 1;
}
