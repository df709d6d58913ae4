// expect: shape mismatch
// Broadcasting aligns shapes from the right: a [3] row broadcasts over a [2, 3] matrix, a [2]
// vector does not. The line under CTGRAD_FAIL must be rejected with the phrase above.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    leaf m{tensor<double, 2, 3>{1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, requires_grad};
    leaf row{tensor{1.0, 1.0, 1.0}, requires_grad};
    auto ok = ctgrad::sum(m * row + tensor<double, 2, 1>{1.0, 2.0});  // 21 + 3 * 1 + 3 * 2 = 30
#ifdef CTGRAD_FAIL
    leaf col{tensor{1.0, 2.0}, requires_grad};
    auto bad = m + col;
    (void)bad;
#endif
    return ok.value() == 30.0 ? 0 : 1;
}
