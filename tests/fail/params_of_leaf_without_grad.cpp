// expect: params(): every parameter must be a non-const leaf that requires grad
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf w{2.0, requires_grad};
    leaf c{3.0};  // data, not a parameter
    auto ps = ctgrad::params(w);
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::params(w, c);
    (void)bad;
#endif
    return ps.size() == 1 && c.value() == 3.0 ? 0 : 1;
}
