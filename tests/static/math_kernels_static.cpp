// Compile-time checks of ctgrad::math on known values (must hold on g++ 12 and clang++ 16, where
// only ctgrad's own kernels run in constant evaluation).
#include <ctgrad/math/kernels.hpp>

#include <limits>

namespace {

namespace m = ctgrad::math;

/// |a - b| <= n ulp(b) for b != 0, in T.
template <class T> constexpr bool near_ulp(T a, T b, int n = 1)
{
  const T d = a > b ? a - b : b - a;
  const T mag = b < 0 ? -b : b;
  return d <= static_cast<T>(n) * mag * std::numeric_limits<T>::epsilon();
}

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// exact values
static_assert(m::exp(0.0) == 1.0);
static_assert(m::exp(0.0f) == 1.0f);
static_assert(m::exp(0.0L) == 1.0L);
static_assert(m::log(1.0) == 0.0);
static_assert(m::log(1.0L) == 0.0L);
static_assert(m::sqrt(4.0) == 2.0);
static_assert(m::sqrt(2.25f) == 1.5f);
static_assert(m::sqrt(0x1p-1074) == 0x1p-537);
static_assert(m::sqrt(1e300 * 1e6) == 1e153);  // 1e306 is 1e153^2 rounded; correctly rounded sqrt
static_assert(m::cbrt(27.0) == 3.0);
static_assert(m::cbrt(-0.125) == -0.5);
static_assert(m::hypot(3.0, 4.0) == 5.0);
static_assert(m::pow(2.0, 10.0) == 1024.0);
static_assert(m::pow(-2.0, 3.0) == -8.0);
static_assert(m::pow(10.0, -2.0) == 0.01);
static_assert(m::abs(-2.5) == 2.5);
static_assert(m::sin(0.0) == 0.0 && m::cos(0.0) == 1.0 && m::tan(0.0) == 0.0);
static_assert(m::atan(0.0) == 0.0 && m::asin(0.0) == 0.0 && m::acos(1.0) == 0.0);
static_assert(m::sinh(0.0) == 0.0 && m::cosh(0.0) == 1.0 && m::tanh(0.0) == 0.0);
static_assert(m::erf(0.0) == 0.0 && m::erfc(0.0) == 1.0);
static_assert(m::log1p(0.0) == 0.0 && m::expm1(0.0) == 0.0);

// known constants (decimal expansions to 20+ digits, checked to 1 ulp)
static_assert(near_ulp(m::exp(1.0), 2.71828182845904523536));
static_assert(near_ulp(m::exp(1.0f), 2.71828182845904523536f));
static_assert(near_ulp(m::exp(1.0L), 2.71828182845904523536028747L));
static_assert(near_ulp(m::log(10.0), 2.30258509299404568402));
static_assert(near_ulp(m::log(2.0L), 0.693147180559945309417232121L));
static_assert(near_ulp(m::sqrt(2.0), 1.41421356237309504880));
static_assert(m::sqrt(2.0L) * m::sqrt(2.0L) - 2.0L < 4 * std::numeric_limits<long double>::epsilon());
static_assert(near_ulp(m::sin(0.52359877559829887308), 0.5));        // sin(pi/6)
static_assert(near_ulp(m::cos(1.04719755119659774615), 0.5, 2));     // cos(pi/3), argument rounded
static_assert(near_ulp(m::tan(0.78539816339744830962), 1.0));         // tan(pi/4)
static_assert(near_ulp(4 * m::atan(1.0), 3.14159265358979323846));
static_assert(near_ulp(2 * m::asin(1.0), 3.14159265358979323846));
static_assert(near_ulp(m::acos(-1.0), 3.14159265358979323846));
static_assert(near_ulp(m::atan2(1.0, -1.0), 2.35619449019234492885));
static_assert(near_ulp(m::erf(1.0), 0.842700792949714869341));
static_assert(near_ulp(m::erfc(1.0), 0.157299207050285130659));
static_assert(near_ulp(m::erfc(10.0), 2.08848758376254474700e-45));
static_assert(near_ulp(m::sinh(1.0), 1.17520119364380145688));
static_assert(near_ulp(m::cosh(1.0), 1.54308063481524377848));
static_assert(near_ulp(m::tanh(1.0), 0.761594155955764888119));
static_assert(near_ulp(m::log1p(1e-10), 9.9999999995000000000333e-11));
static_assert(near_ulp(m::expm1(1e-10), 1.00000000005000000000167e-10));
static_assert(near_ulp(m::cbrt(2.0), 1.25992104989487316477));
static_assert(near_ulp(m::pow(2.0, 0.5), 1.41421356237309504880));
static_assert(near_ulp(m::sin(1e22), -0.852200849767188801772));  // large-argument reduction

// IEEE edge behaviour in constant evaluation
static_assert(m::exp(1000.0) == inf);
static_assert(m::exp(-1000.0) == 0.0);
static_assert(m::exp(-745.0) == 0x1p-1074);  // subnormal result
static_assert(m::log(0.0) == -inf);
static_assert(m::log(inf) == inf);
static_assert(m::sqrt(inf) == inf);
static_assert(m::log1p(-1.0) == -inf);
static_assert(m::pow(0.0, -1.0) == inf);
static_assert(m::tanh(inf) == 1.0 && m::erf(-inf) == -1.0 && m::erfc(-inf) == 2.0);
static_assert(m::hypot(inf, nan) == inf);
static_assert(m::exp(nan) != m::exp(nan));  // NaN propagates
static_assert(m::sin(nan) != m::sin(nan));
static_assert(m::atan(inf) > 1.57 && m::atan(inf) < 1.58);

}  // namespace
