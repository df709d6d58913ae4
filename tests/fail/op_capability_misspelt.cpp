// expect: elementwize
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// Capabilities are designated initializers of ctgrad::op_info: a misspelt one names no field.
#include <ctgrad/ctgrad.hpp>

#include <cstddef>

using ctgrad::leaf;
using ctgrad::requires_grad;

struct twice {
#ifdef CTGRAD_FAIL
    static constexpr ctgrad::op_info info{.label = "twice", .elementwize = true};
#else
    static constexpr ctgrad::op_info info{.label = "twice", .elementwise = true};
#endif
    template <class T> static constexpr T value(const T& x) { return x + x; }
    template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
};

int main() {
    leaf x{2.0, requires_grad};
    auto y = ctgrad::apply<twice>(x);
    return y.value() == 4.0 ? 0 : 1;
}
