// expect: grad can be implicitly created only for scalar outputs
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{tensor{1.0, 2.0, 3.0}, requires_grad};
    auto y = x * x;
    y.backward(tensor{1.0, 1.0, 1.0});
#ifdef CTGRAD_FAIL
    y.backward();
#endif
    return x.grad()[0] == 2.0 ? 0 : 1;
}
