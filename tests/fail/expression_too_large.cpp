// expect: expression too large
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// Named steps that copy their input double the tree at every step: 16 steps give 2^16 - 1 + ...
// nodes, 17 give more than 65,536. ctgrad::share makes the same chain linear.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf x{0.5, requires_grad};
    auto t1 = x * x;
    auto t2 = t1 * t1;
    auto t3 = t2 * t2;
    auto t4 = t3 * t3;
    auto t5 = t4 * t4;
    auto t6 = t5 * t5;
    auto t7 = t6 * t6;
    auto t8 = t7 * t7;
    auto t9 = t8 * t8;
    auto t10 = t9 * t9;
    auto t11 = t10 * t10;
    auto t12 = t11 * t11;
    auto t13 = t12 * t12;
    auto t14 = t13 * t13;
    auto t15 = t14 * t14;
    (void)t15;  // 2^16 - 1 nodes: still within the limit (only built, not evaluated)
    auto s = ctgrad::share(x * x);
    auto ok = s * s;
#ifdef CTGRAD_FAIL
    auto t16 = t15 * t15;  // 2^17 - 1 nodes
    (void)t16;
#endif
    return ok.value() == 0.0625 ? 0 : 1;
}
