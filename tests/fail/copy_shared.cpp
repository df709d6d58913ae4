// expect: cannot be copied
// expect-within: 20
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf x{3.0, requires_grad};
    auto t = ctgrad::share(x * x);
    auto e = t + t;
#ifdef CTGRAD_FAIL
    auto u = std::move(t);  // expressions built from t refer to it: it cannot move
    (void)u;
#endif
    return e.backward() == 18.0 && x.grad() == 12.0 ? 0 : 1;
}
