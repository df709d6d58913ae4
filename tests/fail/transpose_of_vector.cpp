// expect: transpose(e): shape mismatch
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf m{tensor<double, 1, 2>{1.0, 2.0}, requires_grad};
    [[maybe_unused]] leaf v{tensor{1.0, 2.0}, requires_grad};
    auto ok = ctgrad::transpose(m) * 2.0;
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::transpose(v);
    (void)bad;
#endif
    return ok.value() == tensor<double, 2, 1>{2.0, 4.0} ? 0 : 1;
}
