// expect: dyn is supported only as the first extent
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

int main() {
    auto ok = ctgrad::tensor<double, ctgrad::dyn, 3>::zeros(2);  // run-time rows: fine
#ifdef CTGRAD_FAIL
    ctgrad::tensor<double, 3, ctgrad::dyn> bad{};
    (void)bad;
#endif
    return ok.size() == 6 ? 0 : 1;
}
