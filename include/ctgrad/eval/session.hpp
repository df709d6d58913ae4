#pragma once
/// @file
/// One evaluation (a value() or backward() call) and the shared intermediates it has reached.
///
/// A shared intermediate is evaluated at its first use in an evaluation and reused by the others.
/// When its evaluation finishes it is put at the head of the evaluation's list, so the list runs
/// from users to what they use (an intermediate finishes after those it uses). After the root's
/// reverse sweep, backward() walks that list once and differentiates each intermediate that a
/// use with a gradient reached: by then its adjoint is complete (see sharing/share.hpp). The
/// marks this leaves on the shared intermediates are cleared when the evaluation ends, so nothing
/// outlives it: no global state, no heap.
namespace ctgrad::detail {

struct session;

/// The per-evaluation state every shared intermediate carries.
struct shared_link {
    const session* mark = nullptr;  // the evaluation that has computed its value
    shared_link* next = nullptr;    // the shared intermediate that evaluation finished before it
    bool active = false;            // a use carried a gradient: it will be differentiated

    /// Its reverse sweep, with the adjoint its uses have collected.
    virtual constexpr void run_reverse(session* ses) = 0;

protected:
    constexpr shared_link() = default;
    constexpr ~shared_link() = default;
};

/// An evaluation: the list of shared intermediates it has marked, unmarked at its end (also when
/// an exception leaves it).
struct session {
    bool backward = false;  // a reverse sweep follows the forward one
    shared_link* head = nullptr;

    constexpr explicit session(bool b) noexcept : backward(b) {}
    /// Differentiates the shared intermediates reached, users first (after the root's reverse).
    constexpr void reverse_shared() {
        for (shared_link* p = head; p != nullptr; p = p->next)
            if (p->active) p->run_reverse(this);
    }
    session(const session&) = delete;
    session& operator=(const session&) = delete;
    constexpr ~session() {
        for (shared_link* p = head; p != nullptr;) {
            shared_link* n = p->next;
            p->mark = nullptr;
            p->next = nullptr;
            p->active = false;
            p = n;
        }
    }
};

}  // namespace ctgrad::detail
