// expect: learning_rate
// The line under CTGRAD_FAIL must be rejected with the phrase above; without it the file compiles.
#include <ctgrad/ctgrad.hpp>

using ctgrad::leaf;
using ctgrad::requires_grad;

int main() {
    leaf w{2.0, requires_grad};
    ctgrad::optim::sgd opt{ctgrad::params(w), {.lr = 0.1, .momentum = 0.9}};
#ifdef CTGRAD_FAIL
    ctgrad::optim::sgd bad{ctgrad::params(w), {.momentum = 0.9}};  // SGD's lr has no default
#endif
    return opt.steps() == 0 ? 0 : 1;
}
