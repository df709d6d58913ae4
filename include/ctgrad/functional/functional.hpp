#pragma once
/// @file
/// The functional layer (JAX-like): grad, value_and_grad, jacobian, hessian, jvp, vjp, gradcheck.
///
/// `f` is called with handles standing for its arguments: cheap to copy, each referring to a leaf
/// owned by the transformation for the duration of the call, so the expression `f` returns never
/// refers to `f`'s own parameters. Arguments that are not selected are leaves without grad and
/// get no derivative code. Higher orders compose: grad of a ctgrad transformation is computed in
/// forward mode over it (ctgrad::dual), so grad(grad(f)) and hessian are forward-over-reverse.
#include <cstddef>
#include <tuple>
#include <utility>

#include "../diagnostics.hpp"
#include "../graph/expr.hpp"
#include "../values/dual.hpp"

namespace ctgrad {
namespace detail {

/// Handle for argument slot of a functional transformation: refers to the transformation's leaf.
template <class L>
struct arg_handle : expression_base {
    L* p;
    using value_type = typename L::value_type;
    static constexpr bool requires_grad() noexcept { return L::requires_grad(); }
    constexpr auto as_part() const {
        return single<node<leaf_term<L>, value_type, L::requires_grad()>>(p);
    }
    /// One element as a scalar expression. Example: `[](auto v) { return v[0] * v[1]; }`
    template <std::integral I> constexpr auto operator[](I i) const { return subscript(*this, i); }
    template <std::integral... I> constexpr auto operator()(I... i) const { return at(*this, i...); }
};
template <class L>
struct expr_traits<arg_handle<L>> {
    using is_expression = std::true_type;
    using requires_grad = std::bool_constant<L::requires_grad()>;
    using is_leaf = std::bool_constant<!L::requires_grad()>;
    using value_type = typename L::value_type;
};

// Whatever f returned (an expression, a handle, a plain value) as an intermediate expression.
template <class T>
constexpr auto to_expression(T&& out) {
    using U = std::remove_cvref_t<T>;
    if constexpr (is_expr_type<U>::value) {
        return U(std::forward<T>(out));
    } else {
        using V = value_t<U>;
        auto p = to_part<element_of<V>>(std::forward<T>(out));
        return expr<typename decltype(p)::tree_type, decltype(p.store)>{{}, {}, {p.store}};
    }
}

// The entry check of every transformation (grad, value_and_grad, jacobian, hessian, jvp, vjp,
// gradcheck) on its argument types: a container among them is one error naming ctgrad::view.
// Callers stop when it is false (`if constexpr (!arguments_ok<A...>()) return none{};`), so
// nothing else is instantiated: no cascade.
template <class... A>
constexpr bool arguments_ok() {
    static_assert(!(foreign_container<A> || ...), CTGRAD_MSG_CONTAINER);
    return !(foreign_container<A> || ...);
}

template <class F>
inline constexpr bool is_transformation_v = false;

template <std::size_t K, std::size_t... I>
inline constexpr bool selected_v = ((K == I) || ...);

// The leaves a transformation owns: argument K requires grad iff K is selected.
template <std::size_t... I, class... A, std::size_t... K>
constexpr auto make_leaves(std::index_sequence<K...>, const A&... a) {
    // built in place from the values: leaves cannot be copied or moved
    return std::tuple<leaf<A, selected_v<K, I...>>...>{a...};
}

template <class F, class Leaves>
constexpr auto call_with_handles(const F& f, Leaves& leaves) {
    return std::apply(
        [&](auto&... l) { return f(arg_handle<std::remove_reference_t<decltype(l)>>{{}, &l}...); },
        leaves);
}

// A value whose scalars are duals seeded with tangent 1 at flat element j (none when j == npos).
inline constexpr std::size_t no_seed = static_cast<std::size_t>(-1);
template <class V>
constexpr auto seeded(const V& v, std::size_t j) {
    using T = element_of<V>;
    if constexpr (is_tensor_v<V>) {
        value_of<dual<T>, shape_of<V>> r{};
        for (std::size_t i = 0; i < V::size(); ++i)
            r.elems[i] = dual<T>{v.elems[i], i == j ? one_of<T>() : zero_of<T>()};
        return r;
    } else {
        return dual<T>{v, j == 0 ? one_of<T>() : zero_of<T>()};
    }
}
template <class V>
constexpr auto tangent_of(const V& v) {
    if constexpr (is_tensor_v<V>) {
        value_of<std::remove_cvref_t<decltype(v.elems[0].d)>, shape_of<V>> r{};
        for (std::size_t i = 0; i < V::size(); ++i) r.elems[i] = v.elems[i].d;
        return r;
    } else {
        return v.d;
    }
}
template <class V>
constexpr auto primal_of(const V& v) {
    if constexpr (is_tensor_v<V>) {
        value_of<std::remove_cvref_t<decltype(v.elems[0].v)>, shape_of<V>> r{};
        for (std::size_t i = 0; i < V::size(); ++i) r.elems[i] = v.elems[i].v;
        return r;
    } else {
        return v.v;
    }
}

template <std::size_t... I, class Leaves>
constexpr auto grads_of(const Leaves& leaves) {
    if constexpr (sizeof...(I) == 1) return std::get<I...>(leaves).grad();
    else return std::tuple{std::get<I>(leaves).grad()...};
}

/// value_and_grad<I...>(f): the function object.
template <class F, std::size_t... I>
struct value_and_grad_fn {
    F f;
    // Flattened: leaves, expression and both sweeps become one function, so the expression's
    // store is never materialised in memory.
    template <class... A>
    CTGRAD_SWEEP_INLINE constexpr auto operator()(const A&... a) const {
        if constexpr (!arguments_ok<A...>()) {
            return none{};
        } else if constexpr (is_transformation_v<F>) {
            static_assert(sizeof...(I) == 1, CTGRAD_MSG_GRAD_SELECT_ONE);
            return forward_over(a...);
        } else {
            auto leaves = make_leaves<I...>(std::index_sequence_for<A...>{}, a...);
            auto out = to_expression(call_with_handles(f, leaves));
            using V = value_t<decltype(out)>;
            static_assert(count_of<V> == 1, CTGRAD_MSG_SCALAR_OUTPUT);
            if constexpr (requires_grad_v<decltype(out)>) {
                const V v = out.backward();
                return std::pair{v, grads_of<I...>(leaves)};
            } else {
                return std::pair{out.value(), grads_of<I...>(leaves)};
            }
        }
    }

private:
    // Differentiate a transformation (whose result is one scalar) in forward mode: one call per
    // element of the selected argument, with that element's tangent set to 1.
    template <class... A>
    constexpr auto forward_over(const A&... a) const {
        constexpr std::size_t sel = (I + ...);
        const auto args = std::tuple<const A&...>{a...};
        using X = std::remove_cvref_t<std::tuple_element_t<sel, std::tuple<A...>>>;
        auto call = [&](std::size_t j) {
            return [&]<std::size_t... K>(std::index_sequence<K...>) {
                return f(seeded(std::get<K>(args), K == sel ? j : no_seed)...);
            }(std::index_sequence_for<A...>{});
        };
        if constexpr (is_tensor_v<X>) {
            X g{};
            auto r0 = call(0);
            g.elems[0] = r0.d;
            for (std::size_t j = 1; j < X::size(); ++j) g.elems[j] = call(j).d;
            return std::pair{r0.v, g};
        } else {
            const auto r = call(0);
            return std::pair{r.v, r.d};
        }
    }
};

template <class F, std::size_t... I>
struct grad_fn {
    value_and_grad_fn<F, I...> vg;
    template <class... A>
    CTGRAD_SWEEP_INLINE constexpr auto operator()(const A&... a) const {
        if constexpr (!arguments_ok<A...>()) return none{};
        else return vg(a...).second;
    }
};

template <class F, std::size_t... I>
inline constexpr bool is_transformation_v<value_and_grad_fn<F, I...>> = true;
template <class F, std::size_t... I>
inline constexpr bool is_transformation_v<grad_fn<F, I...>> = true;

template <class A, class B>
struct concat_extents_impl;
template <std::size_t... A, std::size_t... B>
struct concat_extents_impl<extents<A...>, extents<B...>> {
    using type = extents<A..., B...>;
};
// The value type whose shape is A's shape followed by B's (scalar shapes drop out).
template <class A, class B>
using concat_extents =
    value_of<element_of<A>, typename concat_extents_impl<shape_of<A>, shape_of<B>>::type>;

}  // namespace detail

/// Gradient of a one-element result with respect to arguments I... (default: argument 0).
/// One index gives the gradient itself (the argument's type and shape), several a std::tuple.
/// Composes: `grad(grad(f))(x)` is the second derivative.
/// @code
/// auto df = ctgrad::grad([](auto x, auto y) { return x * x * y; });
/// double dx = df(3.0, 2.0);                                       // 2xy = 12
/// auto [gx, gy] = ctgrad::grad<0, 1>([](auto x, auto y) { return x * x * y; })(3.0, 2.0);
/// @endcode
template <std::size_t... I, class F>
constexpr auto grad(F f) {
    if constexpr (sizeof...(I) == 0) return detail::grad_fn<F, 0>{{f}};
    else return detail::grad_fn<F, I...>{{f}};
}

/// `std::pair{value, gradient(s)}` of a one-element result. Example:
/// `auto [v, g] = ctgrad::value_and_grad([](auto x) { return sin(x); })(0.0);  // (0, 1)`
template <std::size_t... I, class F>
constexpr auto value_and_grad(F f) {
    if constexpr (sizeof...(I) == 0) return detail::value_and_grad_fn<F, 0>{f};
    else return detail::value_and_grad_fn<F, I...>{f};
}

/// Jacobian of f with respect to argument I: shape is the result's shape followed by the
/// argument's shape (scalar shapes drop out). Computed column by column in forward mode
/// (ctgrad::dual): one evaluation per element of argument I. Example:
/// `ctgrad::jacobian([](auto x) { return x * x; })(tensor{1.0, 2.0})` is [[2, 0], [0, 4]].
template <std::size_t I = 0, class F>
constexpr auto jacobian(F f) {
    return [f]<class... A>(const A&... a) {
        if constexpr (!detail::arguments_ok<A...>()) {
            return detail::none{};
        } else {
            using X = std::remove_cvref_t<std::tuple_element_t<I, std::tuple<A...>>>;
            const auto args = std::tuple<const A&...>{a...};
            auto column = [&](std::size_t n) {
                return [&]<std::size_t... K>(std::index_sequence<K...>) {
                    auto leaves = std::tuple<leaf<decltype(detail::seeded(std::get<K>(args), 0))>...>{
                        detail::seeded(std::get<K>(args), K == I ? n : detail::no_seed)...};
                    return detail::to_expression(detail::call_with_handles(f, leaves)).value();
                }(std::index_sequence_for<A...>{});
            };
            using Y = std::remove_cvref_t<decltype(detail::primal_of(column(0)))>;
            using J = detail::concat_extents<Y, X>;
            J jac = detail::zeros<J>();
            for (std::size_t n = 0; n < detail::count_of<X>; ++n) {
                const auto t = detail::tangent_of(column(n));
                for (std::size_t m = 0; m < detail::count_of<Y>; ++m)
                    detail::elem(jac, m * detail::count_of<X> + n) = detail::elem(t, m);
            }
            return jac;
        }
    };
}

/// Hessian of a one-element result with respect to argument I (shape: the argument's shape
/// twice), by forward mode over the reverse pass. Example:
/// `ctgrad::hessian([](auto x) { return x[0] * x[0] * x[1]; })(tensor{1.0, 2.0})`.
template <std::size_t I = 0, class F>
constexpr auto hessian(F f) {
    return [f]<class... A>(const A&... a) {
        if constexpr (!detail::arguments_ok<A...>()) {
            return detail::none{};
        } else {
            using X = std::remove_cvref_t<std::tuple_element_t<I, std::tuple<A...>>>;
            using H = detail::concat_extents<X, X>;
            H h = detail::zeros<H>();
            const auto args = std::tuple<const A&...>{a...};
            for (std::size_t j = 0; j < detail::count_of<X>; ++j) {
                const auto g = [&]<std::size_t... K>(std::index_sequence<K...>) {
                    return detail::grad_fn<F, I>{{f}}(
                        detail::seeded(std::get<K>(args), K == I ? j : detail::no_seed)...);
                }(std::index_sequence_for<A...>{});
                for (std::size_t n = 0; n < detail::count_of<X>; ++n)
                    detail::elem(h, n * detail::count_of<X> + j) = detail::elem(g, n).d;
            }
            return h;
        }
    };
}

/// Forward-mode Jacobian-vector product: `std::pair{f(primals...), J tangents}`.
/// Example: `auto [y, t] = ctgrad::jvp([](auto x) { return sin(x); }, std::tuple{0.0}, std::tuple{1.0});`
template <class F, class... P, class... T>
constexpr auto jvp(F f, const std::tuple<P...>& primals, const std::tuple<T...>& tangents) {
    static_assert(sizeof...(P) == sizeof...(T), CTGRAD_MSG_JVP_TANGENTS);
    if constexpr (!detail::arguments_ok<P..., T...>()) {
        return detail::none{};
    } else {
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
            using DA = std::tuple<decltype(detail::seeded(std::get<K>(primals), 0))...>;
            DA args{detail::seeded(std::get<K>(primals), detail::no_seed)...};
            // set tangents
            (
                [&] {
                    auto& d = std::get<K>(args);
                    for (std::size_t i = 0; i < detail::count_of<std::tuple_element_t<K, DA>>; ++i)
                        detail::elem(d, i).d = detail::elem(std::get<K>(tangents), i);
                }(),
                ...);
            auto leaves = std::apply(
                [](const auto&... x) { return std::tuple<leaf<std::remove_cvref_t<decltype(x)>>...>{x...}; }, args);
            auto out = detail::to_expression(detail::call_with_handles(f, leaves));
            const auto v = out.value();
            return std::pair{detail::primal_of(v), detail::tangent_of(v)};
        }(std::index_sequence_for<P...>{});
    }
}

/// Reverse-mode vector-Jacobian product: `std::pair{f(primals...), fn}`; `fn(cotangent)` returns
/// a std::tuple with one gradient per argument.
template <class F, class... P>
constexpr auto vjp(F f, const P&... primals) {
    if constexpr (!detail::arguments_ok<P...>()) {
        return detail::none{};
    } else {
        auto value = [&] {
            auto leaves = std::tuple<leaf<P>...>{primals...};
            return detail::to_expression(detail::call_with_handles(f, leaves)).value();
        }();
        auto fn = [f, primals...](const auto& cotangent) {
            return [&]<std::size_t... K>(std::index_sequence<K...>) {
                auto leaves = detail::make_leaves<K...>(std::index_sequence_for<P...>{}, primals...);
                auto out = detail::to_expression(detail::call_with_handles(f, leaves));
                if constexpr (requires_grad_v<decltype(out)>) out.backward(cotangent);
                return std::tuple{std::get<K>(leaves).grad()...};
            }(std::index_sequence_for<P...>{});
        };
        return std::pair{value, fn};
    }
}

/// The largest relative error between grad and central finite differences over every element of
/// every argument (as torch.autograd.gradcheck does, for users' own functions).
/// Example: `assert(ctgrad::gradcheck([](auto x) { return x * sin(x); }, 0.7) < 1e-6);`
template <class F, class... A>
constexpr auto gradcheck(F f, const A&... a) {
    if constexpr (!detail::arguments_ok<A...>()) {
        return detail::none{};
    } else {
        using T = std::common_type_t<detail::element_of<A>...>;
        T worst = T(0);
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            auto value_at = [&](auto... x) {
                auto leaves = std::tuple<leaf<decltype(x)>...>{x...};
                return detail::elem(detail::to_expression(detail::call_with_handles(f, leaves)).value(), 0);
            };
            const auto grads = value_and_grad<K...>(f)(a...).second;
            (
                [&] {
                    const auto& g = [&]() -> decltype(auto) {
                        if constexpr (sizeof...(K) == 1) return (grads);
                        else return std::get<K>(grads);
                    }();
                    for (std::size_t i = 0; i < detail::count_of<A>; ++i) {
                        auto plus = std::tuple<A...>{a...};
                        auto minus = std::tuple<A...>{a...};
                        const T x0 = detail::elem(std::get<K>(plus), i);
                        const T mag = x0 < T(0) ? -x0 : x0;
                        const T h = T(6.0554544523933395e-6) * (mag > T(1) ? mag : T(1));  // cbrt(eps)
                        detail::elem(std::get<K>(plus), i) = x0 + h;
                        detail::elem(std::get<K>(minus), i) = x0 - h;
                        const T fd = (std::apply(value_at, plus) - std::apply(value_at, minus)) / (T(2) * h);
                        const T an = detail::elem(g, i);
                        const T diff = an - fd < T(0) ? fd - an : an - fd;
                        const T scale = (an < T(0) ? -an : an) > T(1) ? (an < T(0) ? -an : an) : T(1);
                        if (diff / scale > worst) worst = diff / scale;
                    }
                }(),
                ...);
        }(std::index_sequence_for<A...>{});
        return worst;
    }
}

}  // namespace ctgrad
