// expect: ctgrad::view
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <vector>

int main() {
    std::vector<double> v{1.0, 2.0};
    auto f = [](auto a) { return ctgrad::sum(a * a); };
    auto ok = ctgrad::value_and_grad(f)(ctgrad::tensor{v});
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::value_and_grad(f)(v);
    (void)bad;
#endif
    return ok.first == 5.0 ? 0 : 1;
}
