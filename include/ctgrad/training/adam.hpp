#pragma once
/// @file
/// `ctgrad::optim::adam`: Adam with bias correction and weight decay, step for step as
/// `torch.optim.Adam` (amsgrad and maximize off).
#include <concepts>
#include <cstddef>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "../config.hpp"
#include "../diagnostics.hpp"
#include "../math/kernels.hpp"
#include "../values/tensor.hpp"
#include "params.hpp"

namespace ctgrad::optim {

/// The hyperparameters of ctgrad::optim::adam, in the order and with the defaults of
/// `torch.optim.Adam`, for designated initializers: `{.lr = 0.01, .betas = {0.9, 0.99}}`.
struct adam_options {
    /// Learning rate.
    double lr = 1e-3;
    /// Decay rates of the running averages of the gradient and of its square.
    std::pair<double, double> betas = {0.9, 0.999};
    /// Added to the denominator for numerical stability.
    double eps = 1e-8;
    /// L2 penalty: the gradient becomes `g + weight_decay * p`.
    double weight_decay = 0.0;
};

/// Adam over a ctgrad::params list, as `torch.optim.Adam`: at step t, per element,
/// `g = grad + weight_decay * p`, `m = b1 * m + (1 - b1) * g`, `v = b2 * v + (1 - b2) * g * g`,
/// `p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)`. The state m, v has the
/// parameters' types (no heap for fixed shapes; a `dyn` parameter's state has its length when the
/// optimizer is made). Works in constant evaluation (the square root is ctgrad::math::sqrt).
/// Invalid options (negative lr, eps or weight decay, betas outside [0, 1)) throw
/// std::invalid_argument.
/// @code
/// ctgrad::leaf w{ctgrad::tensor{1.0, -2.0}, ctgrad::requires_grad};
/// ctgrad::optim::adam opt{ctgrad::params(w), {.lr = 0.1}};
/// auto loss = ctgrad::sum(w * w);
/// for (int i = 0; i < 10; ++i) {
///     opt.zero_grad();
///     loss.backward();
///     opt.step();
/// }
/// @endcode
template <class... L>
class adam {
    static_assert((std::floating_point<detail::element_of<typename L::value_type>> && ...),
                  CTGRAD_MSG_ADAM_FLOAT);
    using state = std::tuple<typename L::value_type...>;

    param_list<L...> params_;
    adam_options options_;
    state m_, v_;  // running averages of the gradient and of its square
    std::size_t steps_ = 0;

public:
    /// An optimizer of the parameters `ps` with the hyperparameters `options` (`{}`: defaults).
    constexpr adam(param_list<L...> ps, adam_options options)
        : params_(ps), options_(options), m_(zeros(ps)), v_(zeros(ps)) {
        validate();
    }

    /// One update of every parameter from its current grad().
    constexpr void step() {
        validate();
        [this]<std::size_t... I>(std::index_sequence<I...>) {
            // every length is checked before any parameter changes
            (check_lengths(params_.template get<I>(), std::get<I>(m_)), ...);
            ++steps_;
            (update(params_.template get<I>(), std::get<I>(m_), std::get<I>(v_)), ...);
        }(std::index_sequence_for<L...>{});
    }

    /// Resets the grad() of every parameter to zeros.
    constexpr void zero_grad() const { params_.zero_grad(); }

    /// The hyperparameters; changes apply from the next step.
    constexpr adam_options& options() noexcept { return options_; }
    /// The hyperparameters (read-only).
    constexpr const adam_options& options() const noexcept { return options_; }
    /// The parameters.
    constexpr const param_list<L...>& params() const noexcept { return params_; }
    /// The number of steps taken (t of the bias correction).
    constexpr std::size_t steps() const noexcept { return steps_; }

private:
    static constexpr state zeros(const param_list<L...>& ps) {
        return [&ps]<std::size_t... I>(std::index_sequence<I...>) {
            return state(detail::zeros_like(ps.template get<I>().value())...);
        }(std::index_sequence_for<L...>{});
    }

    constexpr void validate() const {
        const adam_options& o = options_;
        if (!(o.lr >= 0.0))
            detail::raise<std::invalid_argument>("optim::adam: invalid learning rate");
        if (!(o.eps >= 0.0)) detail::raise<std::invalid_argument>("optim::adam: invalid eps");
        if (!(o.betas.first >= 0.0 && o.betas.first < 1.0))
            detail::raise<std::invalid_argument>("optim::adam: invalid beta parameter at index 0");
        if (!(o.betas.second >= 0.0 && o.betas.second < 1.0))
            detail::raise<std::invalid_argument>("optim::adam: invalid beta parameter at index 1");
        if (!(o.weight_decay >= 0.0))
            detail::raise<std::invalid_argument>("optim::adam: invalid weight_decay");
    }

    template <class P, class S>
    static constexpr void check_lengths(const P& p, const S& m) {
        if constexpr (detail::is_dyn_v<typename P::value_type>) {
            const std::size_t n = detail::size_of(p.value());
            detail::check_length("optim::adam step: grad and value", detail::size_of(p.grad()), n);
            detail::check_length("optim::adam step: state and value", detail::size_of(m), n);
        } else {
            (void)p, (void)m;
        }
    }

    template <class P, class S>
    constexpr void update(P& p, S& m, S& v) const {
        using V = typename P::value_type;
        using T = detail::element_of<V>;
        V& value = p.value();
        const V& grad = p.grad();
        const adam_options& o = options_;
        const T lr = T(o.lr), eps = T(o.eps), wd = T(o.weight_decay);
        const T b1 = T(o.betas.first), b2 = T(o.betas.second);
        const T keep1 = T(1.0 - o.betas.first), keep2 = T(1.0 - o.betas.second);
        // b^t with the current betas, as torch computes it (beta ** step).
        const double t = static_cast<double>(steps_);
        const T bc1 = T(1.0 - math::pow(o.betas.first, t));
        const T bc2 = T(1.0 - math::pow(o.betas.second, t));
        for (std::size_t i = 0; i < detail::size_of(value); ++i) {
            T& x = detail::elem(value, i);
            T& mi = detail::elem(m, i);
            T& vi = detail::elem(v, i);
            T g = detail::elem(grad, i);
            if (o.weight_decay != 0.0) g = g + wd * x;
            mi = b1 * mi + keep1 * g;
            vi = b2 * vi + keep2 * g * g;
            const T m_hat = mi / bc1, v_hat = vi / bc2;
            x = x - lr * m_hat / (math::sqrt(v_hat) + eps);
        }
    }
};

/// Deduction: `adam{ctgrad::params(a, b), {.lr = 0.01}}`.
template <class... L>
adam(param_list<L...>, adam_options) -> adam<L...>;

}  // namespace ctgrad::optim
