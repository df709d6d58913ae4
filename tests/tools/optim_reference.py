#!/usr/bin/env python3
"""Reference numbers for tests/runtime/optim_test.cpp and tests/static/optim_static.cpp.

Plain Python (no numpy, no torch): the update rules of torch.optim.SGD and torch.optim.Adam
(amsgrad and maximize off) written out from the pseudo-code in PyTorch's documentation, so the
expected values in the tests do not come from the code under test. Rerun with

    python3 tests/tools/optim_reference.py

and paste the printed numbers into the tests. Every parameter is a flat list of floats.
"""
import math


def sgd(params, grad_fn, steps, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
        nesterov=False):
    """torch.optim.SGD: returns the parameters after each step."""
    p = [list(x) for x in params]
    buf = None
    history = []
    for t in range(1, steps + 1):
        grads = grad_fn(p)
        new_buf = []
        for k, (pk, gk) in enumerate(zip(p, grads)):
            g = list(gk)
            if weight_decay != 0:
                g = [gi + weight_decay * pi for gi, pi in zip(g, pk)]
            if momentum != 0:
                if t > 1:
                    b = [momentum * bi + (1 - dampening) * gi for bi, gi in zip(buf[k], g)]
                else:
                    b = list(g)
                new_buf.append(b)
                if nesterov:
                    g = [gi + momentum * bi for gi, bi in zip(g, b)]
                else:
                    g = b
            p[k] = [pi - lr * gi for pi, gi in zip(pk, g)]
        buf = new_buf
        history.append([list(x) for x in p])
    return history


def adam(params, grad_fn, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    """torch.optim.Adam: returns the parameters after each step."""
    b1, b2 = betas
    p = [list(x) for x in params]
    m = [[0.0] * len(x) for x in p]
    v = [[0.0] * len(x) for x in p]
    history = []
    for t in range(1, steps + 1):
        grads = grad_fn(p)
        for k, (pk, gk) in enumerate(zip(p, grads)):
            g = list(gk)
            if weight_decay != 0:
                g = [gi + weight_decay * pi for gi, pi in zip(g, pk)]
            m[k] = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m[k], g)]
            v[k] = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v[k], g)]
            m_hat = [mi / (1 - b1 ** t) for mi in m[k]]
            v_hat = [vi / (1 - b2 ** t) for vi in v[k]]
            p[k] = [pi - lr * mh / (math.sqrt(vh) + eps) for pi, mh, vh in zip(pk, m_hat, v_hat)]
        history.append([list(x) for x in p])
    return history


# ---- the cases -----------------------------------------------------------------------------------

# One tensor parameter with gradients given step by step (they do not depend on the parameter).
P0 = [[1.0, -2.0, 3.0]]
GIVEN = [[0.5, -1.0, 2.0], [1.5, 0.25, -1.0], [-0.5, 2.0, 0.75]]


def given_grads(steps):
    state = {"t": 0}

    def fn(_p):
        g = GIVEN[state["t"]]
        state["t"] += 1
        return [g]
    return fn


# loss(w) = sum(w * w): gradient 2 w.
def square_grads(p):
    return [[2 * x for x in pk] for pk in p]


# Mixed list: a scalar a, a fixed tensor w (2 elements), a dyn tensor d (3 elements);
# loss = a * sum(w * w) + sum(d * d * d): dL/da = sum(w^2), dL/dw = 2 a w, dL/dd = 3 d^2.
MIXED0 = [[1.5], [0.5, -1.0], [1.0, -0.5, 2.0]]


def mixed_grads(p):
    a, w, d = p[0][0], p[1], p[2]
    return [[sum(x * x for x in w)], [2 * a * x for x in w], [3 * x * x for x in d]]


def show(name, history):
    print(f"// {name}")
    for t, ps in enumerate(history, 1):
        flat = ", ".join(repr(x) for pk in ps for x in pk)
        print(f"//   step {t}: {flat}")


def main():
    show("sgd lr=0.1", sgd(P0, given_grads(3), 3, lr=0.1))
    show("sgd lr=0.1 momentum=0.9", sgd(P0, given_grads(3), 3, lr=0.1, momentum=0.9))
    show("sgd lr=0.1 momentum=0.9 dampening=0.5",
         sgd(P0, given_grads(3), 3, lr=0.1, momentum=0.9, dampening=0.5))
    show("sgd lr=0.1 momentum=0.9 nesterov",
         sgd(P0, given_grads(3), 3, lr=0.1, momentum=0.9, nesterov=True))
    show("sgd lr=0.1 weight_decay=0.01", sgd(P0, given_grads(3), 3, lr=0.1, weight_decay=0.01))
    show("sgd lr=0.1 momentum=0.9 weight_decay=0.01",
         sgd(P0, given_grads(3), 3, lr=0.1, momentum=0.9, weight_decay=0.01))
    show("adam defaults", adam(P0, given_grads(3), 3))
    show("adam lr=0.1 betas=(0.8, 0.9) eps=1e-6",
         adam(P0, given_grads(3), 3, lr=0.1, betas=(0.8, 0.9), eps=1e-6))
    show("adam lr=0.05 weight_decay=0.1", adam(P0, given_grads(3), 3, lr=0.05, weight_decay=0.1))
    show("mixed sgd lr=0.05 momentum=0.5", sgd(MIXED0, mixed_grads, 3, lr=0.05, momentum=0.5))
    show("mixed adam lr=0.1", adam(MIXED0, mixed_grads, 3, lr=0.1))
    # tests/static/optim_static.cpp: loss = sum(w * w), w = [1, -2] (fixed tensor), 3 steps.
    show("static adam lr=0.1 on sum(w*w), w0 = [1, -2]",
         adam([[1.0, -2.0]], square_grads, 3, lr=0.1))
    show("static sgd lr=0.25 momentum=0.5 on p*p, p0 = 1",
         sgd([[1.0]], square_grads, 3, lr=0.25, momentum=0.5))


if __name__ == "__main__":
    main()
