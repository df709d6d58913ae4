#pragma once
/// @file
/// The one header of ctgrad: reverse-mode automatic differentiation in which the computation
/// graph is a type. Example:
/// @code
/// #include <ctgrad/ctgrad.hpp>
/// ctgrad::leaf x{ctgrad::tensor{1.0, 2.0, 3.0}, ctgrad::requires_grad};
/// auto y = ctgrad::pow<2>(x) + 2 * x;
/// y.backward(ctgrad::tensor{1.0, 1.0, 1.0});     // x.grad() == [4, 6, 8]
/// @endcode
/// @mainpage ctgrad API reference
///
/// ctgrad is a header-only C++20 library for reverse-mode automatic differentiation in which the
/// computation graph is a type. This reference is made from the doc comments of the headers;
/// the guides live in the repository's `docs/` folder: `tutorial.md` (leaves, gradients and
/// `requires_grad`, step by step), `api.md` (every public name with an example), `concepts.md`,
/// `functional.md`, `errors.md` (every compile-time message) and `comparison.md`.
///
/// Where to start: ctgrad::leaf (values you create), the operators and elementwise functions in
/// ops/, ctgrad::tensor, the traits in traits.hpp, ctgrad::let and ctgrad::fori_loop for sharing,
/// ctgrad::grad and the rest of the functional layer in functional/functional.hpp, and for training
/// ctgrad::params, ctgrad::optim::sgd and ctgrad::optim::adam (training/).
#include "config.hpp"
#include "version.hpp"
#include "diagnostics.hpp"
#include "values/scalar.hpp"
#include "values/shape.hpp"
#include "values/tensor.hpp"
#include "values/like.hpp"
#include "traits.hpp"
#include "op_traits.hpp"
#include "graph/leaf.hpp"
#include "graph/expr.hpp"
#include "ops/arithmetic.hpp"
#include "ops/pow.hpp"
#include "ops/elementary.hpp"
#include "ops/compare.hpp"
#include "ops/reduce.hpp"
#include "ops/par.hpp"
#include "ops/linalg.hpp"
#include "ops/index.hpp"
#include "ops/custom.hpp"
#include "sharing/share.hpp"
#include "sharing/let.hpp"
#include "sharing/iterate.hpp"
#include "values/dual.hpp"
#include "functional/functional.hpp"
#include "io/print.hpp"
#include "training/params.hpp"
#include "training/sgd.hpp"
#include "training/adam.hpp"
#include "eval/plan.hpp"
