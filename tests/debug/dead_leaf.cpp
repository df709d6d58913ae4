// The checked build (CTGRAD_DEBUG=1): evaluating an expression after a leaf it refers to has died
// raises std::logic_error instead of reading the dead leaf. A plain main: this file is built as
// its own executable with -DCTGRAD_DEBUG=1 (tests/CMakeLists.txt).
// This file reads dead leaves on purpose (that is what the checks catch); g++ sees it too.
// Clang's lifetime warning (CTGRAD_LIFETIMEBOUND) sees the returns below: the point of this file.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wreturn-stack-address"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <ctgrad/ctgrad.hpp>

#include <cstdio>
#include <stdexcept>

static_assert(CTGRAD_DEBUG == 1, "tests/debug is built with -DCTGRAD_DEBUG=1");

namespace {

int failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}

// Returns an expression that refers to a leaf local to this function: it dangles.
[[gnu::noinline]] auto dangling(double v) {
    ctgrad::leaf x{v, ctgrad::requires_grad};
    return x * 3.0;
}

template <class F>
bool raises_logic_error(F f) {
    try {
        f();
    } catch (const std::logic_error&) {
        return true;
    }
    return false;
}

}  // namespace

int main() {
    // Alive: evaluation works and the checks stay silent.
    {
        ctgrad::leaf x{2.0, ctgrad::requires_grad};
        auto y = x * x + 1.0;
        check(y.backward() == 5.0 && x.grad() == 4.0, "a live leaf evaluates (x^2 + 1 = 5, 2x = 4)");
    }
    // Dead: the leaf of `dangling` was destroyed at its return.
    auto e = dangling(2.0);
    check(raises_logic_error([&] { (void)e.value(); }), "value() after the leaf died raises");
    check(raises_logic_error([&] { (void)e.backward(); }), "backward() after the leaf died raises");
    // A leaf that died in an inner scope while the expression lives on.
    {
        auto outer = [] {
            ctgrad::leaf w{1.5};
            return w + 1.0;  // refers to w (an lvalue leaf without grad)
        }();
        check(raises_logic_error([&] { (void)outer.value(); }), "a dead leaf without grad raises");
    }
    if (failures == 0) std::printf("all checks passed\n");
    return failures == 0 ? 0 : 1;
}
