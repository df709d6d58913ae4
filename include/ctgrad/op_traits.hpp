#pragma once
/// @file
/// What an op declares about itself, in one place: `ctgrad::op_info` (every optional capability
/// with its default) and `ctgrad::op_traits<Op>`, the one place the library reads it from. An op
/// fills `static constexpr ctgrad::op_info info{...}` with designated initializers, so a
/// misspelt capability does not compile; a capability declared as a separate member is rejected
/// by `ctgrad::valid_op` with a message saying where it belongs.
#include <concepts>
#include <type_traits>

#include "diagnostics.hpp"

namespace ctgrad {

/// The optional capabilities of an op, each with its default. An op declares the ones it has,
/// in this order, as `static constexpr ctgrad::op_info info{...}`:
/// @code
/// struct twice {
///     static constexpr ctgrad::op_info info{.label = "twice", .elementwise = true, .lanes = true};
///     template <class T> static constexpr T value(const T& x) { return x + x; }
///     template <std::size_t, class T> static constexpr T partial(const T&, const T&) { return T(2); }
/// };
/// @endcode
struct op_info {
    /// Its name when printed (`io/print.hpp`): `twice(x0)`.
    const char* label = "op";
    /// Printed between its two operands: `(x0 + x1)`.
    bool infix = false;
    /// Its rule is per element: `value(x...)` and `partial<I>(y, x...)` on scalars, lifted to
    /// tensors with broadcasting. Otherwise the op is structural: `forward` and `backward`.
    bool elementwise = false;
    /// An elementwise op whose `value` and `partial` use only `+ - * /` (and, for ctgrad's own
    /// ops, the functions with pack kernels: exp, log, log1p, expm1, tanh, sin, cos, erf,
    /// sigmoid, softplus): fused sums evaluate it on SIMD packs.
    bool lanes = false;
    /// Bit I set: input I carries no derivative (a condition, a comparison operand).
    unsigned nondiff = 0;
    /// A reduction (`sum`, `mean`) that consumes an elementwise input element by element; it
    /// gives `fused_value(acc, n)` and `fused_seed(g, n)`.
    bool fuses_input = false;
    /// A structural op whose `backward` writes every input adjoint through `contribute()`
    /// (which assigns the first contribution); other ops get their inputs' adjoints zeroed
    /// before their first contribution and add to them.
    bool assigns_first = false;
    /// The node requires grad whatever its inputs (a loop whose body reads a parameter).
    bool self_requires_grad = false;
    /// A `fuses_input` reduction whose fused region runs in chunks on several threads
    /// (`sum(par, e)`, eval/parallel.hpp); its payload is a `detail::par_threads`.
    bool parallel = false;
};

namespace detail {
// Names an op would have used before op_info: declared as separate members, they are ignored.
template <class Op>
inline constexpr bool has_loose_capability =
    requires { Op::label; } || requires { Op::infix; } || requires { Op::elementwise; } ||
    requires { Op::lanes; } || requires { Op::nondiff; } || requires { Op::fuses_input; } ||
    requires { Op::assigns_first; } || requires { Op::self_requires_grad; } ||
    requires { Op::parallel; };

template <class Op>
constexpr op_info declared_info() {
    if constexpr (requires { { Op::info } -> std::same_as<const op_info&>; }) return Op::info;
    else return op_info{};
}
}  // namespace detail

/// The capabilities of op `Op`: `Op::info` when it declares one, else the defaults. Specialise
/// it (with a `static constexpr op_info info`) for an op type you cannot edit. Every part of
/// the library reads an op's capabilities here and nowhere else.
/// @code
/// static_assert(ctgrad::op_traits<my_op>::info.elementwise);
/// @endcode
template <class Op>
struct op_traits {
    /// The op's capabilities.
    static constexpr op_info info = detail::declared_info<Op>();
};

/// An op whose capabilities are declared where they are read: in `info` (of type `op_info`),
/// with no capability declared as a separate member. Checked, with a readable message, when
/// an op's node is formed.
/// Example: `static_assert(ctgrad::valid_op<my_op>);`
template <class Op>
concept valid_op =
    !detail::has_loose_capability<Op> &&
    (!requires { Op::info; } || requires { { Op::info } -> std::same_as<const op_info&>; });

namespace detail {
template <class Op>
inline constexpr const op_info& info_of = op_traits<Op>::info;

// The checks of valid_op, one message each; true when Op passes.
template <class Op>
constexpr bool check_op() {
    static_assert(!has_loose_capability<Op>, CTGRAD_MSG_OP_LOOSE_CAPABILITY);
    static_assert(!requires { Op::info; } || requires { { Op::info } -> std::same_as<const op_info&>; },
                  CTGRAD_MSG_OP_INFO_TYPE);
    return valid_op<Op>;
}
}  // namespace detail

}  // namespace ctgrad
