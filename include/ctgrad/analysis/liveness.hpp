#pragma once
/// @file
/// The compile-time analysis of a node list: which nodes are live (need an adjoint), where each
/// adjoint's first contribution comes from (it assigns, so nothing is zeroed up front), which
/// elementwise nodes are fused into the reduction that consumes them and with which
/// `region_strategy`, and which nodes have no workspace slot. One constexpr loop over a table of
/// node facts, derived once per program.
#include <array>
#include <cstddef>
#include <span>
#include <type_traits>

#include "../detail/grouped.hpp"
#include "../graph/node.hpp"
#include "../op_traits.hpp"

namespace ctgrad {

/// How a reduction that fuses its elementwise input (`sum`, `mean`) evaluates and differentiates
/// that region during `backward()`; see `evaluation_plan` (eval/plan.hpp). During `value()`, and
/// in loop bodies, every region runs as `recompute` (no reverse sweep reads what it would keep).
/// Example: `static_assert(ctgrad::evaluation_plan<decltype(sum(x * x))>::nodes[0].region ==
/// ctgrad::region_strategy::keep);` for a grad tensor leaf `x`.
enum class region_strategy : unsigned char {
    none,           ///< not a reduction over a fused region
    recompute,      ///< the reverse rule recomputes each element's region values
    keep,           ///< the forward loop keeps the values of a one-node region for the reverse rule
    preaccumulate,  ///< the forward loop also sums the partials of scalar inputs; the reverse rule scales them
};

}  // namespace ctgrad

namespace ctgrad::detail {

struct node_info {
    bool rg;
    std::span<const std::size_t> off;
    unsigned nondiff;
    bool elementwise;  // an elementwise op with a tensor value
    bool fuses;        // a reduction that can consume an elementwise input element by element
    std::size_t shape; // shape id: equal ids, equal shapes
    bool scalar;       // a rank-0 value
    bool leaf;         // an lvalue leaf that requires grad
    int kind;          // what holds the value: see node_kind
};

template <class Leaf>
struct leaf_term;  // ops/terminals.hpp
template <class V>
struct const_term;
struct alias_op;

// Where a node's value is read from. Constants, leaves and let aliases (other than the root)
// have no workspace slot: their value is the constant in the store, the leaf's value, or the
// aliased node's value, so the forward sweep stores nothing for them (in a loop, nothing per step).
enum node_kind : int { kind_slot, kind_const, kind_leaf, kind_alias };
template <class D>
inline constexpr int node_kind_v = kind_slot;
template <class V0, class V, bool RG>
inline constexpr int node_kind_v<node<const_term<V0>, V, RG>> = kind_const;
template <class Leaf, class V, bool RG>
inline constexpr int node_kind_v<node<leaf_term<Leaf>, V, RG>> = kind_leaf;
template <class V, bool RG, std::size_t O>
inline constexpr int node_kind_v<node<alias_op, V, RG, O>> = kind_alias;
template <class S>
struct shared_term;  // sharing/share.hpp
template <class S, class V, bool RG>
inline constexpr int node_kind_v<node<shared_term<S>, V, RG>> = kind_leaf;
template <class Op>
inline constexpr bool is_shared_term_v = false;
template <class S>
inline constexpr bool is_shared_term_v<shared_term<S>> = true;

// Leaves (other than the root) have no adjoint of their own: contributions add straight into
// their grad(), which is where the gradient goes anyway (no copy pass, no zeroing, no buffer).
template <class D>
inline constexpr bool grad_leaf_v = false;
template <class Leaf, class V, bool RG>
inline constexpr bool grad_leaf_v<node<leaf_term<Leaf>, V, RG>> = RG && !std::is_const_v<Leaf>;
// A shared intermediate that requires grad: contributions add into its adjoint, which the
// session propagates once, after the root's reverse sweep (see eval/session.hpp).
template <class S, class V, bool RG>
inline constexpr bool grad_leaf_v<node<shared_term<S>, V, RG>> = RG;

// Reductions that take an elementwise input element by element (sum, mean) declare `fuses_input`
// and say how the running sum becomes their value and how their adjoint seeds each element.
template <class Op>
constexpr bool fuses_input() {
    return op_traits<Op>::info.fuses_input;
}

template <class L>
struct analysis;

template <class... D>
struct analysis<mp::mp_list<D...>> {
    static constexpr std::size_t n = sizeof...(D);
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    struct result_t {
        // live[k]: node k needs an adjoint (it requires grad and a differentiable path leads to
        // it from the root). Lists are root first, so every node's inputs come after it.
        std::array<bool, n> live{};
        // The first contribution to node c's adjoint in the reverse sweep (which visits nodes
        // root first) comes from input first_i[c] of node first_k[c]: it may assign instead of
        // adding, so no adjoint is ever zeroed up front.
        std::array<std::size_t, n> first_k{};
        std::array<std::size_t, n> first_i{};
        // fused[k]: an elementwise tensor node evaluated and differentiated element by element
        // inside the reduction that consumes it (directly or through other fused nodes of the
        // same shape); it has no value slot and no adjoint. region[k]: the first node of k's
        // region (the reduction's input); extent[r]: the region that starts at node r and its
        // inputs lie within nodes r .. r + extent[r] - 1.
        std::array<bool, n> fused{};
        std::array<std::size_t, n> region{};
        std::array<std::size_t, n> extent{};
        // strategy[k]: for a reduction over a region, what its loops do during backward().
        // keep: a region of one node, whose values it keeps (recomputing them would double the
        // region's only operation). preaccumulate: the region's live outside inputs are all
        // scalars (parameters broadcast over data), so its forward loop also sums their partials
        // and its reverse rule only scales those sums by the seed (one pass).
        std::array<region_strategy, n> strategy{};
        // in_grad[k]: node k is a live leaf whose adjoint is its grad() (see grad_leaf_v).
        std::array<bool, n> in_grad{};
        // slotless[k]: node k has no workspace slot (see node_kind); kind[k] says why, and
        // source[k] is the node whose value it is (an alias's, followed through aliases).
        std::array<bool, n> slotless{};
        std::array<int, n> kind{};
        std::array<std::size_t, n> source{};
    };
    using shapes = distinct<mp::mp_list<shape_of<typename D::value_type>...>>;
    static constexpr result_t r = [] {
        constexpr std::array<node_info, n> info{node_info{
            D::requires_grad, std::span<const std::size_t>(D::offsets), nondiff_mask<typename D::op>(),
            elementwise_op<typename D::op> && is_tensor_v<typename D::value_type>,
            fuses_input<typename D::op>(),
            mp::mp_find<shapes, shape_of<typename D::value_type>>::value,
            shape_of<typename D::value_type>::rank == 0, grad_leaf_v<D>, node_kind_v<D>}...};
        result_t a{};
        for (std::size_t k = 0; k < n; ++k) a.first_k[k] = a.first_i[k] = npos;
        a.live[0] = info[0].rg;
        for (std::size_t k = 0; k < n; ++k) {
            if (!a.live[k]) continue;
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k + info[k].off[i];
                if (info[c].rg && !((info[k].nondiff >> i) & 1u)) {
                    a.live[c] = true;
                    a.in_grad[c] = info[c].leaf;  // (never the root: c > k)
                    // contributions to a leaf's grad always add
                    if (a.first_k[c] == npos && !info[c].leaf) {
                        a.first_k[c] = k;
                        a.first_i[c] = i;
                    }
                }
            }
        }
        for (std::size_t k = 0; k < n; ++k) {
            for (std::size_t i = 0; i < info[k].off.size(); ++i) {
                const std::size_t c = k + info[k].off[i];
                if (!info[c].elementwise) continue;
                if (info[k].fuses && info[k].off.size() == 1) {
                    a.fused[c] = true;
                    a.region[c] = c;
                } else if (a.fused[k] && info[c].shape == info[k].shape) {
                    a.fused[c] = true;
                    a.region[c] = a.region[k];
                }
            }
        }
        // One pass over the fused nodes gives each region its extent, its number of nodes and
        // whether a live outside input has a tensor value.
        std::array<std::size_t, n> members{};
        std::array<bool, n> tensor_input{};
        for (std::size_t c = 0; c < n; ++c) {
            if (!a.fused[c]) continue;
            const std::size_t r = a.region[c];
            ++members[r];
            std::size_t last = c;
            for (std::size_t i = 0; i < info[c].off.size(); ++i) {
                const std::size_t b = c + info[c].off[i];
                if (b > last) last = b;
                if (!a.fused[b] && a.live[b] && !((info[c].nondiff >> i) & 1u) && !info[b].scalar)
                    tensor_input[r] = true;
            }
            if (last - r + 1 > a.extent[r]) a.extent[r] = last - r + 1;
        }
        for (std::size_t k = 0; k + 1 < n; ++k) {
            if (!info[k].fuses || info[k].off.size() != 1 || !a.fused[k + 1]) continue;
            a.strategy[k] = a.live[k] && !tensor_input[k + 1] ? region_strategy::preaccumulate
                            : members[k + 1] == 1             ? region_strategy::keep
                                                              : region_strategy::recompute;
        }
        for (std::size_t c = n; c-- > 0;) {
            a.kind[c] = info[c].kind;
            a.slotless[c] = c != 0 && info[c].kind != kind_slot;
            a.source[c] = a.slotless[c] && info[c].kind == kind_alias ? a.source[c + info[c].off[0]] : c;
        }
        return a;
    }();
    static constexpr const std::array<bool, n>& live = r.live;
    static constexpr const std::array<bool, n>& fused = r.fused;
    // Whether input i of node k gives the first contribution to the adjoint of node c.
    static constexpr bool first(std::size_t k, std::size_t i, std::size_t c) {
        return r.first_k[c] == k && r.first_i[c] == i;
    }
};

}  // namespace ctgrad::detail
