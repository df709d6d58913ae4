// expect: op capability declared as a separate member
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// A capability written as a separate member (the way an op would misspell or misplace it) is
// never read: the op is rejected instead of silently losing the capability.
#include <ctgrad/ctgrad.hpp>

#include <cstddef>

using ctgrad::leaf;
using ctgrad::requires_grad;

struct twice {
    static constexpr ctgrad::op_info info{.label = "twice", .elementwise = true};
    template <class T> static constexpr T value(const T& x) { return x + x; }
    template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
};
struct twice_with_loose_flag {
    static constexpr ctgrad::op_info info{.label = "twice", .elementwise = true};
    static constexpr bool lanes = true;  // belongs in info
    template <class T> static constexpr T value(const T& x) { return x + x; }
    template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
};

int main() {
    leaf x{2.0, requires_grad};
    auto ok = ctgrad::apply<twice>(x);
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::apply<twice_with_loose_flag>(x);
    (void)bad;
#endif
    return ok.value() == 4.0 ? 0 : 1;
}
