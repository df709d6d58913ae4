// expect: temporary shared
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf x{2.0, requires_grad};
    auto t = ctgrad::share(x * x);
    auto ok = t * 2.0;
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::share(x * x) * 2.0;
    (void)bad;
#endif
    return ok.value() == 8.0 ? 0 : 1;
}
