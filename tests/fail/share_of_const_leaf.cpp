// expect: const leaf
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// (share, let and the loops take their operand through one capture step: one error, no second.)
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf x{2.0, requires_grad};
    auto ok = ctgrad::share(x * x);
    [[maybe_unused]] const leaf k{2.0, requires_grad};
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::share(k);
    (void)bad;
#endif
    return ok.value() == 4.0 ? 0 : 1;
}
