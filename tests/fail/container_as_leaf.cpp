// expect: ctgrad::view
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <vector>

int main() {
    std::vector<double> v{1.0, 2.0};
    ctgrad::leaf ok{ctgrad::tensor{v}, ctgrad::requires_grad};
#ifdef CTGRAD_FAIL
    ctgrad::leaf bad{v, ctgrad::requires_grad};
#endif
    return ok.value().size() == 2 ? 0 : 1;
}
