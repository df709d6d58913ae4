#pragma once
/// @file
/// Every compile-time diagnostic of ctgrad, in one place. Each message starts with the phrase
/// users can search for in docs/errors.md, names the call, and says what to do instead.

#define CTGRAD_MSG_GRAD_NOT_LEAF                                                               \
    "grad() is only available on leaves and on intermediates made with retain_grad(): "      \
    "call e.retain_grad() and use the returned expression"
#define CTGRAD_MSG_LEAF_NO_GRAD                                                                \
    "grad()/zero_grad(): this leaf does not require grad; construct it as "                   \
    "ctgrad::leaf{value, ctgrad::requires_grad}."
#define CTGRAD_MSG_NO_GRAD_FN                                                                  \
    "backward(): element 0 of tensors does not require grad and does not have a grad_fn; "    \
    "no leaf in this expression was created with ctgrad::requires_grad"
#define CTGRAD_MSG_IMPLICIT_SEED                                                               \
    "backward(): grad can be implicitly created only for scalar outputs; pass a seed of the " \
    "result's shape: e.backward(seed)"
#define CTGRAD_MSG_SEED_SHAPE                                                                  \
    "backward(seed): the seed shape must equal the shape of the expression's value"
#define CTGRAD_MSG_SHAPE_MISMATCH                                                              \
    "shape mismatch: operand shapes cannot be broadcast together (extents must be equal or 1, " \
    "aligned from the right)"
#define CTGRAD_MSG_TEMPORARY_LEAF                                                              \
    "temporary leaf that requires grad used in an expression: its gradient would be lost; "   \
    "store the leaf in a named variable first"
#define CTGRAD_MSG_TEMPORARY_RETAINED                                                          \
    "temporary retained intermediate used in an expression: its grad() would be lost; "       \
    "store the result of retain_grad() in a named variable first"
#define CTGRAD_MSG_CONST_LEAF                                                                  \
    "const leaf that requires grad used in an expression: backward could not accumulate "     \
    "its gradient; make the leaf non-const (in a lambda, capture it by reference: [&x])"
#define CTGRAD_MSG_CONTAINER                                                                   \
    "a std::vector or other container is not a ctgrad value: wrap it with ctgrad::view(span) "  \
    "(no copy) or ctgrad::tensor{v} (a copy)"
#define CTGRAD_MSG_REASSIGN                                                                    \
    "an expression variable cannot be assigned an expression of another shape of tree (its "   \
    "type is its tree): write a loop over expressions as ctgrad::fori_loop(n, init, step) or "  \
    "ctgrad::iterate<N>(init, step), or name each step with ctgrad::share"
#define CTGRAD_MSG_FLOAT_ONLY                                                                  \
    "only floating-point values can require gradients (or types that opt in through "         \
    "ctgrad::scalar_traits with differentiable = true)"
#define CTGRAD_MSG_RETAIN_NO_GRAD                                                              \
    "retain_grad(): can't retain_grad on an expression that does not require grad"
#define CTGRAD_MSG_ITEM                                                                        \
    "item(): only one element tensors can be converted to scalars; use value() instead"
#define CTGRAD_MSG_SCALAR_OUTPUT                                                               \
    "grad()/value_and_grad() only support scalar-output functions; use jacobian or vjp"
#define CTGRAD_MSG_UNBOUND_HANDLE                                                              \
    "a handle of ctgrad::let/iterate is used outside the callable it was given to"
#define CTGRAD_MSG_TEMPORARY_SHARED                                                            \
    "temporary shared intermediate used in an expression: it would die before the expression; " \
    "store the result of ctgrad::share(e) in a named variable first"
#define CTGRAD_MSG_CONST_SHARED                                                                \
    "const shared intermediate used in an expression: each evaluation caches its value in it; " \
    "make the shared intermediate non-const"
#define CTGRAD_MSG_TOO_LARGE                                                                   \
    "expression too large: more than 65536 nodes counted with copies (a named intermediate "  \
    "copied at every use doubles the tree); bind it once with auto t = ctgrad::share(e)"
#define CTGRAD_MSG_COMPOUND_SHAPE                                                              \
    "compound assignment (+= -= *= /=): the right operand must be a scalar or a tensor of "    \
    "the left operand's shape"
#define CTGRAD_MSG_PARAMS                                                                      \
    "params(): every parameter must be a non-const leaf that requires grad, named (an lvalue): " \
    "ctgrad::leaf w{value, ctgrad::requires_grad}; ctgrad::params(w)"
#define CTGRAD_MSG_ADAM_FLOAT                                                                  \
    "optim::adam: parameters must have float, double or long double elements (its update "     \
    "takes a square root)"
