#pragma once
/// @file
/// Storage for one object per node, grouped by type: one std::array per distinct type.
///
/// Expressions have hundreds of nodes but only a handful of distinct payload and slot types, so
/// an element is found in O(1) (a group index and a position, both computed once per list by a
/// constexpr loop) rather than by searching hundreds of base classes, and copying a store is a
/// loop rather than a pack expansion over every node.
#include <array>
#include <cstddef>
#include <utility>

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>

#include "flat_tuple.hpp"

namespace ctgrad::detail {

namespace mp = boost::mp11;

// distinct<L>: the distinct types of L in order of first appearance; recursion depth is the
// number of distinct types, not the length of L.
template <class L, class U = mp::mp_list<>>
struct distinct_impl {
    using type = U;
};
template <class L, class U>
    requires(mp::mp_size<L>::value > 0)
struct distinct_impl<L, U> {
    using F = mp::mp_front<L>;
    using type = typename distinct_impl<mp::mp_remove<L, F>, mp::mp_push_back<U, F>>::type;
};
template <class L>
using distinct = typename distinct_impl<L>::type;

template <class L>
struct grouping;

template <class... T>
struct grouping<mp::mp_list<T...>> {
    using types = distinct<mp::mp_list<T...>>;
    static constexpr std::size_t n = sizeof...(T);
    static constexpr std::size_t u = mp::mp_size<types>::value;
    static constexpr std::array<std::size_t, n> group{mp::mp_find<types, T>::value...};
    struct layout_t {
        std::array<std::size_t, n> pos{};
        std::array<std::size_t, u> count{};
    };
    static constexpr layout_t layout = [] {
        layout_t l{};
        for (std::size_t k = 0; k < n; ++k) l.pos[k] = l.count[group[k]]++;
        return l;
    }();

    template <std::size_t... J>
    static auto storage_of(std::index_sequence<J...>)
        -> ftuple<std::array<mp::mp_at_c<types, J>, layout.count[J]>...>;
    using storage = decltype(storage_of(std::make_index_sequence<u>{}));

    template <std::size_t K, class S>
    static constexpr auto& get(S& s) noexcept {
        return at<group[K]>(s)[layout.pos[K]];
    }

    // Append the groups of `src` (grouped by G2) into `dst` at the running offsets `off`.
    template <class G2, class S2>
    static constexpr void append(storage& dst, std::array<std::size_t, u>& off, const S2& src) {
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            (
                [&] {
                    constexpr std::size_t j = mp::mp_find<types, mp::mp_at_c<typename G2::types, J>>::value;
                    auto& d = at<j>(dst);
                    const auto& s = at<J>(src);
                    for (std::size_t i = 0; i < s.size(); ++i) d[off[j] + i] = s[i];
                    off[j] += s.size();
                }(),
                ...);
        }(std::make_index_sequence<G2::u>{});
    }
};

}  // namespace ctgrad::detail
