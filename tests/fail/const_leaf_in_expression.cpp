// expect: const leaf
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;
using ctgrad::tensor;

int main() {
    const leaf c{2.0};
    leaf x{2.0, requires_grad};
    auto ok = x * c;
    [[maybe_unused]] const leaf k{2.0, requires_grad};
#ifdef CTGRAD_FAIL
    auto bad = k * 2.0;
    (void)bad;
#endif
    return ok.value() == 4.0 ? 0 : 1;
}
