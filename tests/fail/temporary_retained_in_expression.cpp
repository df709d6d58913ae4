// expect: temporary retained
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf x{2.0, requires_grad};
    auto h = (x * x).retain_grad();
    auto ok = h * 2.0;
#ifdef CTGRAD_FAIL
    auto bad = (x * x).retain_grad() * 2.0;
    (void)bad;
#endif
    return ok.value() == 8.0 ? 0 : 1;
}
