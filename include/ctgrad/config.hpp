#pragma once
/// @file
/// Build configuration: how ctgrad reports run-time errors, and the compiler-specific attributes
/// and extensions it uses.
///
/// With exceptions enabled (the default) run-time misuse throws. With `-fno-exceptions` or
/// `CTGRAD_NO_EXCEPTIONS` defined, the message is printed to stderr and the program aborts.
/// Example: `g++ -std=c++20 -DCTGRAD_NO_EXCEPTIONS app.cpp`.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "version.hpp"

/// @def CTGRAD_VERSION_MAJOR
/// Major version of ctgrad (version.hpp). Example: `static_assert(CTGRAD_VERSION_MAJOR == 0);`

/// @def CTGRAD_VERSION_MINOR
/// Minor version of ctgrad (version.hpp).

/// @def CTGRAD_VERSION_PATCH
/// Patch version of ctgrad (version.hpp).

/// @def CTGRAD_EXCEPTIONS
/// 1 when run-time misuse throws, 0 when it prints the message and aborts (`-fno-exceptions`
/// or `CTGRAD_NO_EXCEPTIONS`). Example: `#if CTGRAD_EXCEPTIONS ... #endif`

#if defined(__cpp_exceptions) && !defined(CTGRAD_NO_EXCEPTIONS)
#define CTGRAD_EXCEPTIONS 1
#else
#define CTGRAD_EXCEPTIONS 0
#endif

/// @def CTGRAD_DEBUG
/// 1 for a checked build: each leaf carries a mark that its destructor clears, and evaluating an
/// expression after a leaf it refers to was destroyed raises `std::logic_error` instead of reading
/// freed memory. 0 (the default) adds nothing: no member, no check. Example:
/// `g++ -std=c++20 -DCTGRAD_DEBUG=1 app.cpp`.
#ifndef CTGRAD_DEBUG
#define CTGRAD_DEBUG 0
#endif

/// @def CTGRAD_SWEEP_INLINE
/// `[[gnu::flatten]]` on GCC and Clang, else nothing: each sweep inlines every call inside it, so
/// a gradient is one flat function like a hand-written adjoint, whatever the compiler's inlining
/// budget says about a long expression. Example: `CTGRAD_SWEEP_INLINE void sweep();`

/// @def CTGRAD_NOINLINE
/// `[[gnu::noinline]]` on GCC and Clang, else nothing. Example: `CTGRAD_NOINLINE void cold();`

#if defined(__GNUC__) || defined(__clang__)
#define CTGRAD_SWEEP_INLINE [[gnu::flatten]]
#define CTGRAD_NOINLINE [[gnu::noinline]]
#else
#define CTGRAD_SWEEP_INLINE
#define CTGRAD_NOINLINE
#endif

/// @def CTGRAD_LIFETIMEBOUND
/// `[[clang::lifetimebound]]` where the compiler has it (Clang), else nothing (GCC would warn
/// about an unknown attribute). On a parameter it says that the result refers to the argument,
/// so that Clang warns (-Wreturn-stack-address, -Wdangling) when a function returns an expression
/// built on one of its local leaves. Example: `auto f(T& t CTGRAD_LIFETIMEBOUND);`

/// @def CTGRAD_HAS_LIFETIMEBOUND
/// 1 when CTGRAD_LIFETIMEBOUND is the attribute: ctgrad's operators then come as overload sets
/// that annotate exactly the operands an expression refers to (graph/overloads.hpp); 0 elsewhere,
/// one overload taking forwarding references. Example: `#if CTGRAD_HAS_LIFETIMEBOUND`

#if defined(__clang__) && defined(__has_cpp_attribute)
#if __has_cpp_attribute(clang::lifetimebound)
#define CTGRAD_LIFETIMEBOUND [[clang::lifetimebound]]
#define CTGRAD_HAS_LIFETIMEBOUND 1
#endif
#endif
#ifndef CTGRAD_HAS_LIFETIMEBOUND
#define CTGRAD_LIFETIMEBOUND
#define CTGRAD_HAS_LIFETIMEBOUND 0
#endif

/// @def CTGRAD_HAS_VECTOR_EXTENSION
/// 1 where the GCC/Clang vector extension gives SIMD packs to fused reductions (values/pack.hpp),
/// 0 elsewhere (they run one element at a time). Example: `#if CTGRAD_HAS_VECTOR_EXTENSION`

#if defined(__GNUC__) || defined(__clang__)
#define CTGRAD_HAS_VECTOR_EXTENSION 1
#else
#define CTGRAD_HAS_VECTOR_EXTENSION 0
#endif

/// @def CTGRAD_PACK_BYTES
/// The size in bytes of a SIMD pack (values/pack.hpp), chosen at compile time from the target:
/// 64 with AVX-512F, 32 with AVX, else 16 (SSE2, the x86-64 baseline, and other targets).
/// Define it to override, e.g. `-DCTGRAD_PACK_BYTES=16` to keep 128-bit packs under -mavx2.
#ifndef CTGRAD_PACK_BYTES
#if defined(__AVX512F__)
#define CTGRAD_PACK_BYTES 64
#elif defined(__AVX__)
#define CTGRAD_PACK_BYTES 32
#else
#define CTGRAD_PACK_BYTES 16
#endif
#endif

namespace ctgrad::detail {

/// Raise `Ex(msg)`: throws when exceptions are on, otherwise prints and aborts.
template <class Ex>
[[noreturn]] constexpr void raise(const char* msg) {
#if CTGRAD_EXCEPTIONS
    throw Ex(msg);
#else
    std::fputs(msg, stderr);
    std::fputc('\n', stderr);
    std::abort();
#endif
}

template <class Ex>
[[noreturn]] inline void raise(const std::string& msg) {
    raise<Ex>(msg.c_str());
}

#if CTGRAD_DEBUG
/// The liveness mark of a leaf in a checked build (CTGRAD_DEBUG): set while the leaf lives,
/// cleared by its destructor. The stores and loads are volatile at run time so that the optimizer
/// cannot drop the store of a dying object or assume the mark.
struct alive_mark {
    static constexpr unsigned long long alive = 0x6374677261642121ull;  // "ctgrad!!"
    unsigned long long v = alive;
    constexpr alive_mark() = default;
    constexpr alive_mark(const alive_mark&) noexcept {}
    constexpr alive_mark& operator=(const alive_mark&) noexcept { return *this; }
    constexpr ~alive_mark() {
        if (std::is_constant_evaluated()) v = 0;
        else *static_cast<volatile unsigned long long*>(&v) = 0;
    }
    constexpr void check() const {
        unsigned long long m = v;
        if (!std::is_constant_evaluated()) m = *static_cast<const volatile unsigned long long*>(&v);
        if (m != alive)
            raise<std::logic_error>(
                "ctgrad (CTGRAD_DEBUG): an expression was evaluated after a leaf it refers to was "
                "destroyed; keep leaves alive as long as the expressions that use them");
    }
};
#endif

}  // namespace ctgrad::detail
