#pragma once
/// @file
/// Pictures of expressions: `operator<<` prints a readable formula, `ctgrad::to_dot` a Graphviz
/// graph. Run-time only (not constexpr); they read the node list and the expression's payloads.
#include <cstddef>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "../eval/program.hpp"
#include "../graph/expr.hpp"
#include "../ops/arithmetic.hpp"
#include "../ops/compare.hpp"
#include "../ops/index.hpp"
#include "../ops/terminals.hpp"

namespace ctgrad {
namespace detail {


template <class Op>
inline constexpr bool is_leaf_term_v = false;
template <class Lf>
inline constexpr bool is_leaf_term_v<leaf_term<Lf>> = true;
template <class Op>
inline constexpr bool is_const_term_v = false;
template <class V>
inline constexpr bool is_const_term_v<const_term<V>> = true;

// What the printers know about one node, read from its descriptor and payload.
struct node_entry {
    std::string label;
    std::vector<std::size_t> children;
    bool requires_grad = false;
    bool live = false;  // gets derivative code
    bool infix = false;
    const void* leaf = nullptr;  // the leaf a leaf node refers to
    bool leaf_requires_grad = false;
    std::string constant;  // a printed constant
    std::string indices;   // what follows the operands of `at`: ", 1, 2"
    enum class kind_t { op, leaf, constant, shared } kind = kind_t::op;
};

// Concatenation through a stream: GCC 12 at -O3 warns falsely (-Wrestrict) on std::string's +.
template <class... A>
std::string text_cat(const A&... a) {
    std::ostringstream os;
    (os << ... << a);
    return os.str();
}

template <class V>
std::string to_text(const V& v) {
    if constexpr (requires(std::ostream& os) { os << v; }) {
        std::ostringstream os;
        os << v;
        return os.str();
    } else {
        return "?";
    }
}

// The indices of flat position f in shape Sh, as they were written: ", i, j".
template <class Sh>
std::string index_text(std::size_t f) {
    std::size_t idx[Sh::rank > 0 ? Sh::rank : 1]{};
    if constexpr (Sh::rank == 1) {
        idx[0] = f;
    } else {
        for (std::size_t d = Sh::rank; d-- > 0;) {
            idx[d] = f % Sh::dims[d];
            f /= Sh::dims[d];
        }
    }
    std::string out;
    for (std::size_t d = 0; d < Sh::rank; ++d) out = text_cat(out, ", ", idx[d]);
    return out;
}

template <class N, class S>
std::vector<node_entry> entries(const S& store) {
    using L = typename flat<N>::nodes;
    using P = program<L, S>;
    std::vector<node_entry> out(P::n);
    [&]<class... D, std::size_t... K>(mp::mp_list<D...>*, std::index_sequence<K...>) {
        (
            [&] {
                using Op = typename D::op;
                node_entry& e = out[K];
                e.label = text_cat(op_traits<Op>::info.label);  // (not operator=(const char*): GCC 12 -Wrestrict)
                if constexpr (std::is_same_v<Op, index_op>)
                    e.indices = index_text<shape_of<typename mp::mp_at_c<L, K + D::offsets[0]>::value_type>>(
                        P::SG::template get<K>(store).i);
                if constexpr (std::is_same_v<Op, row_op>) {  // row(x0, i): the row's number
                    using In = shape_of<typename mp::mp_at_c<L, K + D::offsets[0]>::value_type>;
                    e.indices = index_text<extents<In::dims[0]>>(P::SG::template get<K>(store).i /
                                                                 (In::count / In::dims[0]));
                }
                for (std::size_t off : D::offsets) e.children.push_back(K + off);
                e.requires_grad = D::requires_grad;
                e.live = P::A::live[K];
                e.infix = op_traits<Op>::info.infix;
                if constexpr (is_leaf_term_v<Op>) {
                    e.kind = node_entry::kind_t::leaf;
                    e.leaf = P::SG::template get<K>(store);
                    e.leaf_requires_grad = D::requires_grad;
                } else if constexpr (is_const_term_v<Op>) {
                    e.kind = node_entry::kind_t::constant;
                    e.constant = to_text(P::SG::template get<K>(store));
                } else if constexpr (std::is_same_v<Op, alias_op>) {
                    e.kind = node_entry::kind_t::shared;
                }
            }(),
            ...);
    }(static_cast<L*>(nullptr), std::make_index_sequence<P::n>{});
    return out;
}

// Leaves are named x0, x1, ... in the order a left-to-right reading of the formula meets them.
inline void name_leaves(const std::vector<node_entry>& es, std::size_t k,
                        std::map<const void*, std::string>& names) {
    if (es[k].leaf && !names.count(es[k].leaf)) names[es[k].leaf] = text_cat("x", names.size());
    for (std::size_t c : es[k].children) name_leaves(es, c, names);
}
inline std::map<const void*, std::string> leaf_names(const std::vector<node_entry>& es) {
    std::map<const void*, std::string> names;
    if (!es.empty()) name_leaves(es, 0, names);
    return names;
}

inline void print_formula(std::ostream& os, const std::vector<node_entry>& es,
                          const std::map<const void*, std::string>& names, std::size_t k) {
    const node_entry& e = es[k];
    if (e.kind == node_entry::kind_t::leaf) {
        os << names.at(e.leaf);
    } else if (e.kind == node_entry::kind_t::constant) {
        os << e.constant;
    } else if (e.kind == node_entry::kind_t::shared) {
        os << "shared(";
        print_formula(os, es, names, e.children[0]);
        os << ')';
    } else if (e.infix && e.children.size() == 2) {
        os << '(';
        print_formula(os, es, names, e.children[0]);
        os << ' ' << e.label << ' ';
        print_formula(os, es, names, e.children[1]);
        os << ')';
    } else {
        os << e.label << '(';
        for (std::size_t i = 0; i < e.children.size(); ++i) {
            if (i) os << ", ";
            print_formula(os, es, names, e.children[i]);
        }
        os << e.indices << ')';
    }
}

}  // namespace detail

/// Prints an expression as a formula; leaves are named x0, x1, ... in order of appearance.
/// Example: `std::cout << ctgrad::pow<2>(x) + 2 * x;` prints `(pow<2>(x0) + (2 * x0))`.
template <class N, class S>
std::ostream& operator<<(std::ostream& os, const detail::expr<N, S>& e) {
    const auto es = detail::entries<N>(e.store_);
    detail::print_formula(os, es, detail::leaf_names(es), 0);
    return os;
}

/// A Graphviz (dot) picture of an expression: leaves (boxes; filled when they require grad),
/// constants, intermediates, shared (let) uses, which nodes require grad (bold) and which get no
/// derivative code (dashed), with the current value of each leaf and of the result.
/// Render with `dot -Tsvg graph.dot -o graph.svg`.
template <class N, class S>
std::string to_dot(const detail::expr<N, S>& e) {
    const auto es = detail::entries<N>(e.store_);
    const auto names = detail::leaf_names(es);
    std::ostringstream os;
    os << "digraph ctgrad {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n";
    std::map<const void*, bool> drawn;
    auto id = [&](std::size_t k) {
        return es[k].leaf ? detail::text_cat("leaf_", names.at(es[k].leaf)) : detail::text_cat("n", k);
    };
    for (std::size_t k = 0; k < es.size(); ++k) {
        const auto& n = es[k];
        if (n.leaf) {
            if (drawn[n.leaf]) continue;
            drawn[n.leaf] = true;
            os << "  " << id(k) << " [shape=box, label=\"leaf " << names.at(n.leaf)
               << (n.leaf_requires_grad ? "\\nrequires_grad" : "") << "\""
               << (n.leaf_requires_grad ? ", style=filled, fillcolor=\"#ffe08a\"" : "") << "];\n";
            continue;
        }
        std::string label = n.kind == detail::node_entry::kind_t::constant ? n.constant : n.label;
        if (k == 0) label = detail::text_cat(label, "\\n= ", detail::to_text(e.value()));
        os << "  " << id(k) << " [label=\"" << label << "\"";
        if (n.kind == detail::node_entry::kind_t::constant) os << ", shape=plaintext";
        if (n.kind == detail::node_entry::kind_t::shared) os << ", shape=diamond";
        if (n.requires_grad) os << ", penwidth=2";
        if (!n.live) os << ", style=dashed";
        os << "];\n";
    }
    for (std::size_t k = 0; k < es.size(); ++k)
        for (std::size_t c : es[k].children)
            os << "  " << id(c) << " -> " << id(k) << (es[k].live && es[c].live ? "" : " [style=dashed]")
               << ";\n";
    os << "  label=\"bold: requires grad; dashed: no derivative code\";\n}\n";
    return os.str();
}

}  // namespace ctgrad
