// expect: grad can be implicitly created only for scalar outputs
// backward() without a seed on a dyn (run-time length) result does not compile: its length is
// unknown at compile time, so it is never a one-element result. The line under CTGRAD_FAIL must
// be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <vector>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{tensor{std::vector<double>{1.0}}, requires_grad};
    auto y = x * x;
    y.backward(tensor{std::vector<double>{1.0}});
#ifdef CTGRAD_FAIL
    y.backward();
#endif
    return x.grad()[0] == 2.0 ? 0 : 1;
}
