#pragma once
// Helpers shared by the run-time tests.

namespace ctgrad_test {

// A value the compiler cannot see through (read back through volatile), so tests exercise the
// run-time code paths rather than constant-folded ones.
inline double opaque(double v) {
    volatile double x = v;
    return x;
}

}  // namespace ctgrad_test
