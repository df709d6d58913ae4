#pragma once
/// @file
/// Handles: stateless placeholders that let, iterate and the functional API pass to user
/// callables. A handle is keyed on the callable's closure type and is resolved when the binding
/// construct assembles its expression, so what the callable returns never refers to its own
/// parameters.
#include <boost/mp11/algorithm.hpp>

#include "../graph/expr.hpp"

namespace ctgrad::detail {

template <class Tag, class V, bool RG>
struct handle : expression_tag {
    using tag = Tag;
    using value_type = V;
    static constexpr bool requires_grad() noexcept { return RG; }
    /// One element as a scalar expression. Example: `[](auto v) { return v[0] * v[1]; }`
    template <std::integral I> constexpr auto operator[](I i) const { return subscript(*this, i); }
    template <std::integral... I> constexpr auto operator()(I... i) const { return at(*this, i...); }
};

// Replace the nodes handle_term<Tag> of list L by what Make<D, position> gives.
template <class Tag, template <class D, std::size_t K> class Make>
struct resolve_fn {
    template <class D, class K>
    using fn = std::conditional_t<std::is_same_v<typename D::op, handle_term<Tag>>,
                                  Make<D, K::value>, D>;
};
template <class Tag, template <class D, std::size_t K> class Make, class L>
using resolve_handles =
    mp::mp_transform_q<resolve_fn<Tag, Make>, L, mp::mp_iota<mp::mp_size<L>>>;

}  // namespace ctgrad::detail
