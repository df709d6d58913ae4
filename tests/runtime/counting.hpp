// A scalar that counts its operations, for tests that prove how much work a sweep does (pruning,
// sharing). Test-only instrumentation: one global counter for the test executable.
#pragma once

#include <ctgrad/ctgrad.hpp>

namespace counting_test {

struct op_counts {
    long adds = 0;  // + and -
    long muls = 0;
    long divs = 0;
};
inline op_counts counts;

// A double that counts + and - (as additions), * and / separately.
struct counted {
    double v = 0;
    constexpr counted() = default;
    constexpr counted(double d) : v(d) {}
    friend counted operator+(counted a, counted b) { ++counts.adds; return a.v + b.v; }
    friend counted operator-(counted a, counted b) { ++counts.adds; return a.v - b.v; }
    friend counted operator*(counted a, counted b) { ++counts.muls; return a.v * b.v; }
    friend counted operator/(counted a, counted b) { ++counts.divs; return a.v / b.v; }
    friend counted operator-(counted a) { return -a.v; }
    counted& operator+=(counted b) { ++counts.adds; v += b.v; return *this; }
    friend bool operator==(counted a, counted b) { return a.v == b.v; }
};

}  // namespace counting_test

template <>
struct ctgrad::scalar_traits<counting_test::counted> {
    static constexpr counting_test::counted zero() { return 0.0; }
    static constexpr counting_test::counted one() { return 1.0; }
    static constexpr bool differentiable = true;
};
