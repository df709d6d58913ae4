// expect: ctgrad::view
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <vector>

int main() {
    std::vector<double> v{1.0, 2.0};
    auto f = [](auto a) { return ctgrad::sum(a * a); };
    auto ok = ctgrad::vjp(f, ctgrad::tensor{v}).second(1.0);
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::vjp(f, v);
    (void)bad;
#endif
    return std::get<0>(ok)[1] == 4.0 ? 0 : 1;
}
