// expect: a handle of ctgrad::let/iterate is used outside the callable
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// The handle escapes the let callable through a reference capture (a std::function assigned
// inside it) and is evaluated there, where nothing binds it.
#include <ctgrad/ctgrad.hpp>

#include <functional>

int main() {
    ctgrad::leaf x{0.5, ctgrad::requires_grad};
    std::function<double()> later;
    auto y = ctgrad::let(x * 2.0, [&](auto h) {
#ifdef CTGRAD_FAIL
        later = [h] { return (h * 3.0).value(); };
#endif
        return h * h;
    });
    y.backward();
    return x.grad() == 4.0 && !later ? 0 : 1;
}
