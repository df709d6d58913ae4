// expect: matmul(a, b): shape mismatch
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf w{tensor<double, 2, 3>{1.0, 0.0, 0.0, 0.0, 1.0, 0.0}, requires_grad};
    auto ok = ctgrad::matmul(w, tensor{1.0, 2.0, 3.0});
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::matmul(w, tensor{1.0, 2.0});
    (void)bad;
#endif
    return ok.value() == tensor{1.0, 2.0} ? 0 : 1;
}
