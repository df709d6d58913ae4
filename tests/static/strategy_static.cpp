// Which path the evaluator takes for representative expressions (ctgrad::evaluation_plan): fused
// regions and their strategy, SIMD packs, pre-accumulation, kept values, slotless nodes. Switching
// any of these off in the evaluator fails this file. Expected plans follow from the rules in
// docs/design.md ("Fusion"), applied by hand. Compiling this file is passing.
#include <ctgrad/ctgrad.hpp>

#include <cstddef>

using ctgrad::dyn;
using ctgrad::evaluation_plan;
using ctgrad::leaf;
using ctgrad::region_strategy;
using ctgrad::tensor;

// Leaves named only inside decltype: declared, never defined.
extern leaf<tensor<double, 5>, true> x;          // a parameter tensor
extern leaf<double, true> a, mu, sigma;          // scalar parameters
extern const leaf<tensor<double, 8>> y;          // data
extern leaf<tensor<double, 2, 3>, true> A;       // a matrix parameter
extern leaf<tensor<double, 3>, true> r;          // a row broadcast over A
extern const leaf<tensor<float, 8>> yf;          // float data
extern leaf<float, true> af;
extern const leaf<tensor<long double, 8>> yl;    // no pack for long double
extern leaf<long double, true> al;
extern const leaf<tensor<double, dyn>> yd;       // run-time length
extern leaf<tensor<double, dyn>, true> xd;

// ---- sum(x * x): a one-node region over a parameter tensor keeps its values -------------------
// Nodes: sum, x * x, x, x (each use of a leaf is a node).
using sq = evaluation_plan<decltype(ctgrad::sum(x * x))>;
static_assert(sq::size == 4);
static_assert(sq::fused_regions == 1 && sq::fused_nodes == 1 && sq::keeps && !sq::preaccumulates);
static_assert(sq::nodes[0].region == region_strategy::keep && !sq::nodes[0].fused && sq::nodes[0].live);
static_assert(sq::nodes[0].packs);  // (value() and, keeping values, backward())
static_assert(sq::nodes[1].fused && sq::nodes[1].live && !sq::nodes[1].slotless);
static_assert(sq::nodes[1].region == region_strategy::none && !sq::nodes[1].packs);
static_assert(sq::nodes[2].slotless && sq::nodes[2].adjoint_in_grad && !sq::nodes[2].fused);
static_assert(sq::nodes[3].slotless && sq::nodes[3].adjoint_in_grad);
static_assert(sq::slotless_nodes == 2 && sq::live_nodes == 4);

// ---- sum(((y - mu) / sigma)^2): parameters over data pre-accumulate, in packs -----------------
// Nodes: sum, pow, div, sigma, sub, mu, y (an op's inputs follow it, the last input first).
using ll = evaluation_plan<decltype(ctgrad::sum(ctgrad::pow<2>((y - mu) / sigma)))>;
static_assert(ll::size == 7);
static_assert(ll::nodes[0].region == region_strategy::preaccumulate && ll::nodes[0].packs);
static_assert(ll::packs && ll::preaccumulates && !ll::keeps && ll::fused_regions == 1);
static_assert(ll::nodes[1].fused && ll::nodes[2].fused && ll::nodes[4].fused && ll::fused_nodes == 3);
static_assert(ll::nodes[3].slotless && ll::nodes[3].adjoint_in_grad);  // sigma
static_assert(ll::nodes[5].slotless && ll::nodes[5].adjoint_in_grad);  // mu
static_assert(ll::nodes[6].slotless && !ll::nodes[6].live);           // y: data, no derivative
static_assert(ll::live_nodes == 6);

// The same with float data: packs of floats.
using llf = evaluation_plan<decltype(ctgrad::sum(yf * af))>;
static_assert(llf::preaccumulates && llf::packs);
// long double has no pack: pre-accumulated one element at a time.
using lll = evaluation_plan<decltype(ctgrad::sum(yl * al))>;
static_assert(lll::preaccumulates && !lll::packs && lll::fused_regions == 1);

// exp has a pack kernel (values/pack_math.hpp): packs, pre-accumulated.
using ex = evaluation_plan<decltype(ctgrad::sum(exp(y) * a))>;
static_assert(ex::nodes[0].region == region_strategy::preaccumulate && ex::packs && ex::fused_nodes == 2);
// cbrt has none: no packs, still pre-accumulated.
using cb = evaluation_plan<decltype(ctgrad::sum(cbrt(y) * a))>;
static_assert(cb::nodes[0].region == region_strategy::preaccumulate && !cb::packs && cb::fused_nodes == 2);

// ---- a live tensor input: the reverse rule recomputes each element ----------------------------
using mix = evaluation_plan<decltype(ctgrad::sum(x * a + x / a))>;
static_assert(mix::nodes[0].region == region_strategy::recompute && mix::packs);
static_assert(!mix::keeps && !mix::preaccumulates && mix::fused_nodes == 3);

// A row broadcast over a matrix is read at each element, but not as a pack.
using row = evaluation_plan<decltype(ctgrad::sum((A + r) * a))>;
static_assert(row::nodes[0].region == region_strategy::recompute && !row::packs && row::fused_nodes == 2);

// Run-time lengths fuse and pack as fixed ones do.
using rt = evaluation_plan<decltype(ctgrad::sum(ctgrad::pow<2>(yd - mu) * xd))>;
static_assert(rt::nodes[0].region == region_strategy::recompute && rt::packs && rt::fused_nodes == 3);
using rt2 = evaluation_plan<decltype(ctgrad::mean(yd * mu))>;
static_assert(rt2::nodes[0].region == region_strategy::preaccumulate && rt2::packs);

// ---- no region: nothing reduced, or a reduction of a non-elementwise value -------------------
using plain = evaluation_plan<decltype(x * a)>;
static_assert(plain::fused_regions == 0 && plain::fused_nodes == 0 && !plain::packs);
static_assert(plain::nodes[0].region == region_strategy::none && !plain::nodes[0].slotless);
static_assert(plain::slotless_nodes == 2);
using leaf_sum = evaluation_plan<decltype(ctgrad::sum(x))>;  // a leaf is not elementwise
static_assert(leaf_sum::fused_regions == 0 && leaf_sum::nodes[0].region == region_strategy::none);
using dotp = evaluation_plan<decltype(ctgrad::dot(x, x) * a)>;
static_assert(dotp::fused_regions == 0 && dotp::fused_nodes == 0);
// A tensor kept as a value for another consumer is not fused into the sum: exp(x) is used by the
// product outside the sum too, through a let.
inline auto shared_exp() {
    return ctgrad::let(exp(x), [](auto e) { return ctgrad::sum(e) * ctgrad::dot(e, e); });
}
using sh = evaluation_plan<decltype(shared_exp())>;
static_assert(sh::fused_regions == 0 && sh::fused_nodes == 0);

// ---- let: aliases are slotless; two regions in one expression ---------------------------------
// mean(exp(x) * w): the live tensor inputs x and w make it recompute; sum(w * w) is one node over
// one handle, so its values are kept.
inline auto two_regions() {
    return ctgrad::let(x * 2.0, [](auto w) { return ctgrad::mean(exp(x) * w) + ctgrad::sum(w * w); });
}
using two = evaluation_plan<decltype(two_regions())>;
static_assert(two::fused_regions == 2 && two::fused_nodes == 3 && two::keeps && !two::preaccumulates);
static_assert(two::nodes[0].region == region_strategy::none && !two::nodes[0].fused);
static_assert([] {
    std::size_t keep = 0, recompute = 0;
    for (const auto& n : two::nodes) {
        keep += n.region == region_strategy::keep;
        recompute += n.region == region_strategy::recompute;
    }
    return keep == 1 && recompute == 1;
}());
// The aliases of w (two uses, not the root) and the leaves are slotless; x * 2.0 has a slot.
static_assert(two::slotless_nodes == 5);

// References and cv-qualifiers are stripped.
static_assert(evaluation_plan<const decltype(x * a)&>::size == plain::size);
