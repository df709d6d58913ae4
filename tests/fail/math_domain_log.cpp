// expect: log_argument_outside_domain
// The logarithm of a negative number in constant evaluation must not compile; the diagnostic names
// ctgrad::math::detail::log_argument_outside_domain (see docs/math.md, "Domain errors").
#include <ctgrad/math/kernels.hpp>

constexpr double fine = ctgrad::math::log(2.0);
static_assert(fine > 0.69 && fine < 0.70);

#ifdef CTGRAD_FAIL
constexpr double log_argument_outside_domain_here = ctgrad::math::log(-1.0);
#endif

int main() { return 0; }
