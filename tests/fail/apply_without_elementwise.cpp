// expect: Op must declare `static constexpr ctgrad::op_info info{.elementwise = true}`
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

#include <cstddef>

using ctgrad::leaf;
using ctgrad::requires_grad;

struct twice {
    static constexpr ctgrad::op_info info{.elementwise = true};
    template <class T> static constexpr T value(const T& x) { return x + x; }
    template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
};
struct forgot_the_flag {
    template <class T> static constexpr T value(const T& x) { return x + x; }
    template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
};

int main() {
    leaf x{2.0, requires_grad};
    auto ok = ctgrad::apply<twice>(x);
#ifdef CTGRAD_FAIL
    auto bad = ctgrad::apply<forgot_the_flag>(x);
    (void)bad;
#endif
    return ok.value() == 4.0 ? 0 : 1;
}
