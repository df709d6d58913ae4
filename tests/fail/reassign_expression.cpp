// expect: fori_loop
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

int main() {
    ctgrad::leaf x{0.5, ctgrad::requires_grad};
    // y <- y + x y, three times: (1 + x)^3
    auto ok = ctgrad::fori_loop(3, 1.0, [&x](auto y) { return y + x * y; });
    auto same = x * 2.0;
    same = x * 3.0;  // the same tree: an ordinary assignment
#ifdef CTGRAD_FAIL
    auto y = x * 1.0;
    for (int i = 0; i < 3; ++i) y = y + x * y;
#endif
    return ok.value() == 3.375 && same.value() == 1.5 ? 0 : 1;
}
