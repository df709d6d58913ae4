// expect: cannot be copied
// expect-within: 20
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf r{0.5, requires_grad};
    // by reference: every step refers to r itself
    auto ok = ctgrad::fori_loop(3, 1.0, [&r](auto p) { return p + r * p; });
    const double v = ok.backward();
#ifdef CTGRAD_FAIL
    // by value: each step would use a copy of r, and r.grad() would stay 0
    auto bad = ctgrad::fori_loop(3, 1.0, [r](auto p) mutable { return p + r * p; });
    (void)bad;
#endif
    return v == 3.375 && r.grad() == 6.75 ? 0 : 1;
}
