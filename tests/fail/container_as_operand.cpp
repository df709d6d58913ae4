// expect: ctgrad::view
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <span>
#include <vector>

int main() {
    ctgrad::leaf x{2.0, ctgrad::requires_grad};
    std::vector<double> v{1.0, 2.0};
    auto ok = ctgrad::sum(x * ctgrad::view(std::span<const double>(v)));
#ifdef CTGRAD_FAIL
    auto bad = x * v;
    (void)bad;
#endif
    return ok.backward() == 6.0 && x.grad() == 3.0 ? 0 : 1;
}
