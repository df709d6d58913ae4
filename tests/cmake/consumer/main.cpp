// Built by the consumer projects of tests/cmake against an installed ctgrad and a source tree.
#include <ctgrad/ctgrad.hpp>

#ifndef CTGRAD_VERSION_MAJOR
#error "<ctgrad/ctgrad.hpp> does not define CTGRAD_VERSION_MAJOR"
#endif

int main() { return 0; }
