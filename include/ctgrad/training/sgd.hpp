#pragma once
/// @file
/// `ctgrad::optim::sgd`: stochastic gradient descent with momentum, dampening, Nesterov momentum
/// and weight decay, step for step as `torch.optim.SGD` (maximize off).
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "../config.hpp"
#include "../values/tensor.hpp"
#include "params.hpp"

namespace ctgrad::optim {

/// SGD's learning rate: a double that has no default, so `sgd_options` without `.lr` does not
/// compile (the error names `learning_rate`). Converts to and from `double`.
/// Example: `ctgrad::optim::sgd_options o{.lr = 0.1}; double lr = o.lr;`
struct learning_rate {
    /// The rate `v` (implicit, so that `.lr = 0.1` reads naturally).
    constexpr learning_rate(double v) noexcept : value(v) {}
    /// No default: a forgotten `.lr` is a compile error rather than a silent 0.
    learning_rate() = delete;
    /// The rate as a double.
    constexpr operator double() const noexcept { return value; }
    /// The rate.
    double value;
};

/// The hyperparameters of ctgrad::optim::sgd, in the order of `torch.optim.SGD`, for designated
/// initializers: `{.lr = 0.1, .momentum = 0.9}`. Only `lr` is required.
struct sgd_options {
    /// Learning rate (required, at least 0).
    learning_rate lr;
    /// Momentum factor (0: none).
    double momentum = 0.0;
    /// Dampening of the momentum: the buffer adds `(1 - dampening) * g` after the first step.
    double dampening = 0.0;
    /// L2 penalty: the gradient becomes `g + weight_decay * p`.
    double weight_decay = 0.0;
    /// Nesterov momentum (needs momentum > 0 and dampening 0, as in PyTorch).
    bool nesterov = false;
};

/// Stochastic gradient descent over a ctgrad::params list, as `torch.optim.SGD`: per element,
/// `g = grad + weight_decay * p`; with momentum, `buf = g` on the first step and then
/// `buf = momentum * buf + (1 - dampening) * g`, and `g = nesterov ? g + momentum * buf : buf`;
/// finally `p -= lr * g`. The momentum buffers have the parameters' types (no heap for fixed
/// shapes); everything works in constant evaluation. Invalid options (a negative rate, momentum
/// or weight decay; Nesterov without momentum or with dampening) throw std::invalid_argument.
/// @code
/// ctgrad::leaf w{ctgrad::tensor{1.0, -2.0}, ctgrad::requires_grad};
/// ctgrad::optim::sgd opt{ctgrad::params(w), {.lr = 0.1, .momentum = 0.9}};
/// auto loss = ctgrad::sum(w * w);
/// for (int i = 0; i < 10; ++i) {
///     opt.zero_grad();
///     loss.backward();
///     opt.step();
/// }
/// @endcode
template <class... L>
class sgd {
    param_list<L...> params_;
    sgd_options options_;
    std::tuple<typename L::value_type...> momentum_{};  // one buffer per parameter
    bool buffered_ = false;  // the buffers hold a first gradient (torch: momentum_buffer set)
    std::size_t steps_ = 0;

public:
    /// An optimizer of the parameters `ps` with the hyperparameters `options`.
    constexpr sgd(param_list<L...> ps, sgd_options options) : params_(ps), options_(options) {
        validate();
    }

    /// One update of every parameter from its current grad().
    constexpr void step() {
        validate();
        [this]<std::size_t... I>(std::index_sequence<I...>) {
            // every length is checked before any parameter changes
            (check_lengths(params_.template get<I>(), std::get<I>(momentum_)), ...);
            (update(params_.template get<I>(), std::get<I>(momentum_)), ...);
        }(std::index_sequence_for<L...>{});
        buffered_ = buffered_ || options_.momentum != 0.0;
        ++steps_;
    }

    /// Resets the grad() of every parameter to zeros.
    constexpr void zero_grad() const { params_.zero_grad(); }

    /// The hyperparameters; changes (e.g. a smaller `lr`) apply from the next step.
    constexpr sgd_options& options() noexcept { return options_; }
    /// The hyperparameters (read-only).
    constexpr const sgd_options& options() const noexcept { return options_; }
    /// The parameters.
    constexpr const param_list<L...>& params() const noexcept { return params_; }
    /// The number of steps taken.
    constexpr std::size_t steps() const noexcept { return steps_; }

private:
    constexpr void validate() const {
        const sgd_options& o = options_;
        if (!(o.lr >= 0.0))
            detail::raise<std::invalid_argument>("optim::sgd: invalid learning rate");
        if (!(o.momentum >= 0.0))
            detail::raise<std::invalid_argument>("optim::sgd: invalid momentum");
        if (!(o.weight_decay >= 0.0))
            detail::raise<std::invalid_argument>("optim::sgd: invalid weight_decay");
        if (o.nesterov && (o.momentum <= 0.0 || o.dampening != 0.0))
            detail::raise<std::invalid_argument>(
                "optim::sgd: Nesterov momentum requires a momentum and zero dampening");
    }

    template <class P, class B>
    constexpr void check_lengths(const P& p, const B& buf) const {
        if constexpr (detail::is_dyn_v<typename P::value_type>) {
            const std::size_t n = detail::size_of(p.value());
            detail::check_length("optim::sgd step: grad and value", detail::size_of(p.grad()), n);
            if (buffered_ && options_.momentum != 0.0)
                detail::check_length("optim::sgd step: momentum buffer and value",
                                     detail::size_of(buf), n);
        } else {
            (void)p, (void)buf;
        }
    }

    template <class P, class B>
    constexpr void update(P& p, B& buf) const {
        using V = typename P::value_type;
        using T = detail::element_of<V>;
        V& value = p.value();
        const V& grad = p.grad();
        const sgd_options& o = options_;
        const bool momentum = o.momentum != 0.0;
        if constexpr (detail::is_dyn_v<V>)
            if (momentum && !buffered_) buf = detail::zeros_like(value);  // sized on first use
        const T lr = T(o.lr.value), mu = T(o.momentum), keep = T(1.0 - o.dampening),
                wd = T(o.weight_decay);
        for (std::size_t i = 0; i < detail::size_of(value); ++i) {
            T& x = detail::elem(value, i);
            T g = detail::elem(grad, i);
            if (o.weight_decay != 0.0) g = g + wd * x;
            if (momentum) {
                T& b = detail::elem(buf, i);
                b = buffered_ ? mu * b + keep * g : g;
                g = o.nesterov ? g + mu * b : b;
            }
            x = x - lr * g;
        }
    }
};

/// Deduction: `sgd{ctgrad::params(a, b), {.lr = 0.1}}`.
template <class... L>
sgd(param_list<L...>, sgd_options) -> sgd<L...>;

}  // namespace ctgrad::optim
