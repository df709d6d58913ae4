#pragma once
/// @file
/// A tuple laid out by flat multiple inheritance: element access is O(1) in template depth,
/// so expressions with thousands of nodes need no recursive instantiation.
#include <cstddef>
#include <utility>

namespace ctgrad::detail {

template <std::size_t I, class T>
struct slot {
    T v;
};

template <class Seq, class... T>
struct ftuple_impl;

template <std::size_t... I, class... T>
struct ftuple_impl<std::index_sequence<I...>, T...> : slot<I, T>... {};

// ftuple<T...>: an aggregate; ftuple<A, B>{{a}, {b}} initialises it.
template <class... T>
using ftuple = ftuple_impl<std::index_sequence_for<T...>, T...>;

// at<I>(t): element I (deduced from the unique base slot<I, T>).
template <std::size_t I, class T>
constexpr T& at(slot<I, T>& s) noexcept { return s.v; }
template <std::size_t I, class T>
constexpr const T& at(const slot<I, T>& s) noexcept { return s.v; }

struct none {
    friend constexpr bool operator==(none, none) noexcept { return true; }
};

}  // namespace ctgrad::detail
