// expect: dyn is supported only as the single extent of a rank-1 tensor
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

int main() {
    auto ok = ctgrad::tensor<double, ctgrad::dyn>::zeros(3);
#ifdef CTGRAD_FAIL
    ctgrad::tensor<double, ctgrad::dyn, 3> bad{};
    (void)bad;
#endif
    return ok.size() == 3 ? 0 : 1;
}
