#pragma once
/// @file
/// Every diagnostic text of ctgrad, in one place: compile-time messages, then the fixed texts of
/// run-time errors. Each message starts with the phrase
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
#define CTGRAD_MSG_INDEX_COUNT                                                                 \
    "at(e, i...) / e[i] / e(i, j, ...): index count mismatch: give one index per extent of "   \
    "a tensor-valued operand (e[i] is for rank-1 operands)"
#define CTGRAD_MSG_STACK_SHAPE                                                                 \
    "stack(e0, e1, ...): shape mismatch: every operand must be a scalar (rank 0)"
#define CTGRAD_MSG_DOT_SHAPE                                                                   \
    "dot(a, b): shape mismatch: both operands must be rank-1 tensors of the same length"
#define CTGRAD_MSG_MATMUL_SHAPE                                                                \
    "matmul(a, b): shape mismatch: expected [m, k] x [k, n] or [m, k] x [k] (inner extents "   \
    "equal)"
#define CTGRAD_MSG_TRANSPOSE_SHAPE                                                             \
    "transpose(e): shape mismatch: the operand must be a rank-2 tensor"
#define CTGRAD_MSG_DYN_IMPLICIT_SEED                                                           \
    "backward(): grad can be implicitly created only for scalar outputs, and a dyn "           \
    "(run-time length) result is never one; pass a seed of the result's length: "              \
    "e.backward(seed)"
#define CTGRAD_MSG_VIEW_GRAD                                                                   \
    "only floating-point values can require gradients: a ctgrad::view is read-only data; "     \
    "copy it into a ctgrad::tensor<T, ctgrad::dyn> to make a parameter"
#define CTGRAD_MSG_APPLY_NOT_ELEMENTWISE                                                       \
    "ctgrad::apply<Op>: Op must declare "                                                      \
    "`static constexpr ctgrad::op_info info{.elementwise = true}` and give value(x...) and "   \
    "partial<I>(y, x...)"
#define CTGRAD_MSG_OP_LOOSE_CAPABILITY                                                         \
    "op capability declared as a separate member: declare every capability of an op in "       \
    "`static constexpr ctgrad::op_info info{...}` (a separate `elementwise`, `label`, "        \
    "`nondiff`, ... member is not read)"
#define CTGRAD_MSG_OP_INFO_TYPE                                                                \
    "an op's `info` must be a `static constexpr ctgrad::op_info`: "                            \
    "static constexpr ctgrad::op_info info{.label = \"name\"}"
#define CTGRAD_MSG_GRAD_SELECT_ONE                                                             \
    "grad of a ctgrad transformation: select one argument"
#define CTGRAD_MSG_JVP_TANGENTS                                                                \
    "ctgrad::jvp: give one tangent per primal"
#define CTGRAD_MSG_TENSOR_RANK0                                                                \
    "ctgrad::tensor: there is no rank-0 tensor; use T"
#define CTGRAD_MSG_TENSOR_DYN_RANK                                                             \
    "ctgrad::tensor: dyn is supported only as the first extent (the rows) of a tensor"
#define CTGRAD_MSG_TENSOR_SUBSCRIPT                                                            \
    "tensor::operator[] is for rank-1 tensors; use t(i, j, ...)"
#define CTGRAD_MSG_TENSOR_INDEX_COUNT                                                          \
    "tensor::operator(): give one index per extent"
#define CTGRAD_MSG_ITERATE_SHAPE                                                               \
    "ctgrad::iterate/fori_loop: step must return a value of the same shape as init"

// Fixed texts of run-time errors (exceptions, or the message printed before abort), and the
// names of the operations a run-time length mismatch message starts with.
#define CTGRAD_MSG_AT_RANGE                                                                    \
    "ctgrad::at / e[i] / e(i, ...): index out of range"
#define CTGRAD_MSG_AT_RANGE_PREFIX                                                             \
    "ctgrad::at / e[i] / e(i, ...): index "
#define CTGRAD_MSG_TENSOR_RANGE                                                                \
    "ctgrad::tensor: index out of range"
#define CTGRAD_MSG_PARAMS_TWICE                                                                \
    "ctgrad::params: a leaf is listed twice"
#define CTGRAD_MSG_LENGTH_MISMATCH                                                             \
    "ctgrad: run-time length mismatch"
#define CTGRAD_MSG_LENGTH_DOT                                                                  \
    "dot(a, b)"
#define CTGRAD_MSG_LENGTH_SEED                                                                 \
    "backward(seed): seed and value"
#define CTGRAD_MSG_LENGTH_GRAD                                                                 \
    "gradient accumulation"
#define CTGRAD_MSG_ROWS_SIZE                                                                   \
    "ctgrad::tensor<T, dyn, C...> / ctgrad::view<C...>: the number of elements is not a whole "  \
    "number of rows"
// run-time form: PREFIX + n + MIDDLE + row size
#define CTGRAD_MSG_ROWS_SIZE_PREFIX                                                            \
    "ctgrad::tensor<T, dyn, C...> / ctgrad::view<C...>: "
#define CTGRAD_MSG_ROWS_SIZE_MIDDLE                                                            \
    " elements are not a whole number of rows of "
#define CTGRAD_MSG_LENGTH_ELEMENTWISE                                                          \
    "elementwise operation on operands of run-time length"
