// expect: ctgrad::view
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <vector>

int main() {
    std::vector<double> v{1.0, 2.0};
    auto f = [](auto a) { return ctgrad::sum(a * a); };
    auto ok = ctgrad::grad(f)(ctgrad::tensor{v});
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::grad(f)(v);
    (void)bad;
#endif
    return ok[1] == 4.0 ? 0 : 1;
}
