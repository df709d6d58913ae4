#pragma once
/// @file
/// One evaluation (a value() or backward() call) and the shared intermediates it has reached.
///
/// A shared intermediate is evaluated at its first use in an evaluation and reused by the others;
/// during backward() it counts its uses that carry a gradient and differentiates itself once,
/// when the last of them has added its contribution (see sharing/share.hpp). The marks this
/// leaves on the shared intermediates are cleared when the evaluation ends, so nothing outlives
/// it: no global state, no heap.
namespace ctgrad::detail {

struct session;

/// The per-evaluation state every shared intermediate carries.
struct shared_link {
    const session* mark = nullptr;  // the evaluation that has computed its value
    shared_link* next = nullptr;    // the next shared intermediate that evaluation reached
    int pending = 0;                // uses that will still contribute to its adjoint
    bool active = false;            // it counts its own inputs' uses (it will be differentiated)
};

/// An evaluation: the list of shared intermediates it has marked, unmarked at its end (also when
/// an exception leaves it).
struct session {
    bool backward = false;  // a reverse sweep follows the forward one
    shared_link* head = nullptr;

    constexpr explicit session(bool b) noexcept : backward(b) {}
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    constexpr ~session() {
        for (shared_link* p = head; p != nullptr;) {
            shared_link* n = p->next;
            p->mark = nullptr;
            p->next = nullptr;
            p->pending = 0;
            p->active = false;
            p = n;
        }
    }
};

}  // namespace ctgrad::detail
