#pragma once
// The Catch2 headers the runtime tests use, for Catch2 v2 (one header) and v3 (split headers).
// CMake defines CTGRAD_CATCH2_MAJOR to the version it found. Tests include "catch.hpp" and write
// TEST_CASE, REQUIRE, Approx(...) and the template test macros the same way for both.

#if !defined(CTGRAD_CATCH2_MAJOR)
#error "CTGRAD_CATCH2_MAJOR is not defined: build the runtime tests through tests/CMakeLists.txt"
#elif CTGRAD_CATCH2_MAJOR >= 3
#include <catch2/catch_approx.hpp>
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
using Catch::Approx; // v2 spells it without the namespace
#else
#include <catch2/catch.hpp>
#endif
