// expect: learning_rate
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
// (Inside `sgd opt{params, {...}}` Clang reports the same mistake as "no viable constructor or
// deduction guide", with a note that the list cannot be converted to sgd_options.)
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf w{2.0, requires_grad};
    ctgrad::optim::sgd_options options{.lr = 0.1, .momentum = 0.9};
    ctgrad::optim::sgd opt{ctgrad::params(w), options};
#ifdef CTGRAD_FAIL
    ctgrad::optim::sgd_options bad{.momentum = 0.9};  // SGD's lr has no default
    (void)bad;
#endif
    return opt.steps() == 0 ? 0 : 1;
}
