#pragma once
/// @file
/// ctgrad::share: a named intermediate, evaluated once and differentiated once per evaluation
/// however many times it is used. The results of retain_grad() are shared intermediates too.
#include <type_traits>
#include <utility>

#include "../diagnostics.hpp"
#include "../graph/expr.hpp"
#include "../graph/overloads.hpp"

namespace ctgrad {
namespace detail {

/// What expressions see of a shared intermediate: its value type V and whether it requires grad,
/// never its own expression. So the type of `share(t * t)` does not contain the type of `t`'s
/// expression, and a chain of shared steps has types (and compile time) linear in its length;
/// the shared intermediate's own evaluation is reached through two virtual functions, which are
/// functions of their own anyway (a flattened sweep must not inline a shared intermediate once
/// per use, or the code doubles at every shared step).
template <class V, bool RG>
struct shared_base : shared_link {
    static constexpr bool is_shared_intermediate = true;
    const V* cached_ = nullptr;  // its value in the current evaluation
    V adj_{};                    // the adjoint collected from its uses

    constexpr const V& cached_value() const noexcept { return *cached_; }

    // At every use during an evaluation: evaluate at the first. A use that will be differentiated
    // makes it active (differentiated by the session after the root's reverse sweep); if its
    // first use was not such a use, it is evaluated once more, now keeping what its reverse needs.
    template <class Ctx>
    constexpr void ensure(Ctx& ctx, bool live) {
        session* ses = ctx.ses;
        const bool count = live && RG && counting(ctx);
        if (mark != ses || (count && !active)) first_use(ses, count);
    }
    virtual constexpr void first_use(session* ses, bool count) = 0;

protected:
    constexpr shared_base() = default;
    constexpr ~shared_base() = default;
    shared_base(const shared_base&) = delete;
    shared_base& operator=(const shared_base&) = delete;
};

/// A use of a shared intermediate inside an expression: read like a leaf (its value is the one
/// computed at its first use in this evaluation), and its adjoint collected like a leaf's grad.
template <class S>
struct shared_term {
    static constexpr op_info info{.label = "shared"};
    using payload = S*;
    template <class V>
    using slot = ref_slot<V>;
    // Only as the root of an expression (elsewhere the node has no slot: see node_kind).
    template <class Sl, class Ctx>
    static constexpr void forward(S* p, Sl& s, Ctx& ctx) {
        p->ensure(ctx, true);
        s.p = &leaf_access::cached(*p);
    }
    template <class Sl, class G, class Ctx>
    static constexpr void backward(S* p, const Sl&, const G& g, Ctx&) {
        accumulate(leaf_access::adjoint(*p), g);
    }
};

}  // namespace detail

/// A shared intermediate: owns an expression and is referred to, like a leaf, by the
/// expressions built from it, which must not outlive it.
///
/// Each `value()` or `backward()` of an expression that uses it evaluates its expression once, at
/// the first use, and differentiates it once, after the last use has added its adjoint: the cost
/// of a chain of shared steps is linear in the number of steps, as with PyTorch's tensors. It is
/// an identity: it cannot be copied or moved, and a temporary one cannot be used in an expression.
/// Made by `ctgrad::share(e)`; `e.retain_grad()` makes one that also keeps its gradient (`Retain`).
/// @code
/// ctgrad::leaf x{0.1, ctgrad::requires_grad};
/// auto t1 = ctgrad::share(x * x + 0.25);
/// auto t2 = ctgrad::share(t1 * t1 + 0.25);   // t1 evaluated once per evaluation of t2
/// t2.backward();                              // x.grad() == 2 t1 * 2 x
/// @endcode
template <class N, class S, bool Retain>
class shared : public detail::expression_tag,
               public detail::element_access<shared<N, S, Retain>>,
               public detail::shared_base<typename N::desc::value_type, N::desc::requires_grad> {
    using eval = detail::evaluation<N, S>;
    using prog = typename eval::prog;
    using base = detail::shared_base<typename N::desc::value_type, N::desc::requires_grad>;
    friend struct detail::leaf_access;

public:
    /// The value type.
    using value_type = typename N::desc::value_type;
    /// The tree of the expression it owns (graph/tree.hpp).
    using tree_type = N;
    /// What expressions that use it refer to.
    using base_type = base;

private:
    S store_;
    typename eval::values_type w_{};  // the workspace of the current evaluation
    [[no_unique_address]] std::conditional_t<Retain, value_type, detail::none> grad_{};

    // Evaluates its expression (count: a use carries a gradient, so keep what its reverse sweep
    // needs); the first time in this evaluation, puts itself at the head of the evaluation's list,
    // after everything its expression uses, which finished first.
    CTGRAD_SWEEP_INLINE constexpr void evaluate(detail::session* ses, bool count) {
        this->active = count;
        if (count) {
            detail::backward_context c{ses, true};
            prog::forward(store_, w_, c);
            this->cached_ = &prog::result(w_);
            this->adj_ = detail::zeros_like(*this->cached_);
        } else {
            detail::top_context c{ses};
            prog::forward(store_, w_, c);
            this->cached_ = &prog::result(w_);
        }
        if (this->mark != ses) {
            this->mark = ses;
            this->next = ses->head;
            ses->head = this;
        }
    }
    // Its reverse sweep with the adjoint its uses collected.
    CTGRAD_SWEEP_INLINE constexpr void differentiate(detail::session* ses) {
        if constexpr (Retain) detail::accumulate(grad_, this->adj_);
        detail::backward_context c{ses, true};
        prog::reverse(store_, w_, this->adj_, c);
    }
    CTGRAD_NOINLINE constexpr void first_use(detail::session* ses, bool count) override { evaluate(ses, count); }
    CTGRAD_NOINLINE constexpr void run_reverse(detail::session* ses) override { differentiate(ses); }

public:
    /// Owns the payloads `s` of an expression of tree N (use ctgrad::share or retain_grad()).
    constexpr explicit shared(const S& s) : store_(s) {}
    shared(const shared&) = delete;             // cannot be copied: a shared intermediate is an identity
    shared& operator=(const shared&) = delete;  // cannot be copied: a shared intermediate is an identity
    constexpr ~shared() = default;

    /// Whether a backward pass through it reaches a leaf that requires grad.
    static constexpr bool requires_grad() noexcept { return N::desc::requires_grad; }
    /// A shared intermediate is not a leaf (as a retained intermediate in PyTorch).
    static constexpr bool is_leaf() noexcept { return !requires_grad(); }

    /// Evaluates its expression with the leaves' current values.
    constexpr value_type value() const { return eval::value(store_); }
    /// The value of a one-element shared intermediate as a scalar.
    constexpr detail::element_of<value_type> item() const {
        static_assert(detail::count_of<value_type> == 1, CTGRAD_MSG_ITEM);
        return detail::elem(value(), 0);
    }

    /// Vector-Jacobian product through its expression (and into grad() when retained).
    template <class Seed>
    constexpr value_type backward(const Seed& seed) {
        static_assert(requires_grad(), CTGRAD_MSG_NO_GRAD_FN);
        static_assert(std::is_same_v<detail::shape_of<Seed>, detail::shape_of<value_type>>,
                      CTGRAD_MSG_SEED_SHAPE);
        if constexpr (Retain) detail::accumulate(grad_, detail::convert<value_type>(seed));
        return eval::backward(store_, seed);
    }
    /// backward(seed) with seed 1; only for one-element values.
    constexpr value_type backward() {
        static_assert(requires_grad(), CTGRAD_MSG_NO_GRAD_FN);
        static_assert(!detail::is_dyn_v<value_type>, CTGRAD_MSG_DYN_IMPLICIT_SEED);
        static_assert(detail::is_dyn_v<value_type> || detail::count_of<value_type> == 1,
                      CTGRAD_MSG_IMPLICIT_SEED);
        return backward(detail::filled<value_type>(detail::one_of<detail::element_of<value_type>>()));
    }

    /// The gradient collected by backward passes through it; only on results of retain_grad().
    constexpr const value_type& grad() const {
        static_assert(Retain, CTGRAD_MSG_GRAD_NOT_LEAF);
        if constexpr (Retain) return grad_;
        else return this->adj_;
    }
    /// Resets grad() to zeros; only on results of retain_grad().
    constexpr void zero_grad() {
        static_assert(Retain, CTGRAD_MSG_GRAD_NOT_LEAF);
        if constexpr (Retain) detail::zero_fill(grad_);
    }
    /// A retained shared intermediate equal to this one (its grad() collects the adjoint).
    constexpr shared<N, S, true> retain_grad() const {
        static_assert(requires_grad(), CTGRAD_MSG_RETAIN_NO_GRAD);
        return shared<N, S, true>{store_};
    }
};

/// Bind `e` as a named intermediate: however many times the result is used, directly or through
/// other shared intermediates, each evaluation computes `e` once and differentiates it once.
/// Store it in a named variable (`auto t = ctgrad::share(e);`): it cannot be copied, and the
/// expressions that use it refer to it.
/// @code
/// ctgrad::leaf x{0.5, ctgrad::requires_grad};
/// auto t = ctgrad::share(x * x + 0.25);
/// auto y = t * t + t;            // t is evaluated once per y.value() or y.backward()
/// @endcode
CTGRAD_DETAIL_UNARY((), share, expression,
    using T = detail::element_of<value_t<E>>;
    auto p = detail::to_part<T>(static_cast<e_type&&>(e));
    return shared<typename decltype(p)::tree_type, decltype(p.store), false>{p.store};)

}  // namespace ctgrad
