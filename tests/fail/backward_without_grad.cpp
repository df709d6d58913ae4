// expect: does not require grad and does not have a grad_fn
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf c{2.0};
    auto y = c * c;
#ifdef CTGRAD_FAIL
    y.backward();
#endif
    return y.value() == 4.0 ? 0 : 1;
}
