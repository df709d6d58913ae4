#!/usr/bin/env python3
"""Generator of ctgrad's differential tests (see docs/testing.md).

From a seed, builds random expressions over the elementwise functions, arithmetic, pow, let,
and reductions of small fixed-shape tensors, with leaves that do and do not require grad. Each
expression is written three ways: a ctgrad expression, and a straight-line function template
`plain<T>` over the flattened leaf components (instantiated in long double for central finite
differences and with Sacado::Rad for a second reverse mode). Points are sampled in the domain of
every op, away from kinks, poles and branch cuts, with a rejection test that this script runs in
double; for each point it also computes the finite-difference step of each component, and the
condition scale of each gradient component and the rounding scale of the function that the C++
checker's tolerances use.

Everything is deterministic in the seed (only random.Random.random() is used).

  gen_diff.py --seed 1 --expressions 96 --points 108 --units 4 --out DIR
writes DIR/diff_tu0.cpp ... DIR/diff_tu3.cpp and DIR/diff_registry.cpp.
"""
import argparse
import math
import os
import random
import sys

VMAX = 1e3          # largest |intermediate| a point may produce
COND_MAX = 1e5      # largest condition scale of a gradient component
H_MAX = 2.5e-4      # largest finite-difference step, relative to max(1, |x|)
H_MIN = 1e-7        # smallest step; points that need less are rejected


class Leaf:
    def __init__(self, name, shape, grad, positive):
        self.name, self.shape, self.grad, self.positive = name, shape, grad, positive
        self.used = False
        self.offset = 0  # first flattened component, set once the used leaves are known

    def size(self):
        return math.prod(self.shape)


class Node:
    """kind: leaf, const, un, bin, ipow, red, dot, matmul, index, let, handle."""
    def __init__(self, kind, shape, args=(), op=None, extra=None):
        self.kind, self.shape, self.args, self.op, self.extra = kind, shape, list(args), op, extra


UNARY = ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'cbrt', 'sin', 'cos', 'tan', 'asin', 'acos',
         'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'softplus', 'relu', 'abs', 'erf', 'erfc']
BINARY_FN = ['atan2', 'hypot', 'min', 'max', 'pow']
CONSTS = [0.5, 1.5, 2.0, -1.0, 0.25, 3.0, -0.5, 1.25]


class Gen:
    def __init__(self, rng):
        self.rng = rng

    def r(self):
        return self.rng.random()

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    # ------------------------------------------------------------------ expression structure
    def new_expression(self):
        self.leaves = []
        self.lets = 0
        self.handles = []     # the handle nodes of the lets whose body is being built
        self.budget = 14 + int(self.r() * 12)   # rough node budget
        for i in range(1 + int(self.r() * 3)):
            self.leaves.append(Leaf('x%d' % i, (), self.r() < 0.55, self.r() < 0.35))
        if self.r() < 0.55:
            for i in range(1 + int(self.r() * 2)):
                self.leaves.append(Leaf('v%d' % i, (3,), self.r() < 0.55, self.r() < 0.3))
        if self.r() < 0.25:
            self.leaves.append(Leaf('m0', (2, 3), self.r() < 0.55, self.r() < 0.3))
        root = self.scalar(3)
        return root

    def spend(self):
        self.budget -= 1
        return self.budget > 0

    def leaf_of(self, shape, positive=False):
        cands = [l for l in self.leaves if l.shape == shape and (l.positive or not positive)]
        if not cands:
            return None
        l = self.pick(cands)
        l.used = True
        return Node('leaf', shape, op=l)

    def terminal(self, shape, positive=False):
        # handles in scope of a matching shape are preferred now and then (shared uses)
        hs = [h for h in self.handles if h.shape == shape]
        if hs and self.r() < 0.4:
            return self.pick(hs)
        n = self.leaf_of(shape, positive)
        if n is not None:
            return n
        if shape == ():
            n = self.leaf_of((), False)
            if n is not None:
                return n
        # no leaf of that shape: build one from scalars and constants
        if shape == (3,):
            return self.vec_from_scalars()
        if shape == (2, 3):
            v = self.tensor((3,), 0)
            return Node('bin', (2, 3), [self.const_tensor((2, 3)), v], op='*')
        return Node('const', (), extra=self.pick(CONSTS))

    def const_tensor(self, shape):
        vals = [self.pick(CONSTS) for _ in range(math.prod(shape))]
        return Node('const', shape, extra=vals)

    def vec_from_scalars(self):
        # a scalar broadcast against a constant vector
        s = self.scalar(0)
        return Node('bin', (3,), [s, self.const_tensor((3,))], op=self.pick(['*', '+']))

    def positive(self, depth):
        """An expression that is positive by construction (mostly)."""
        c = self.r()
        if depth <= 0 or not self.spend():
            if c < 0.5:
                n = self.leaf_of((), True)
                if n is not None:
                    return n
            a = self.terminal(())
            return Node('bin', (), [Node('const', (), extra=1.0),
                                    Node('ipow', (), [a], extra=2)], op='+')
        a = self.scalar(depth - 1)
        if c < 0.2:
            return Node('un', (), [a], op='exp')
        if c < 0.35:
            return Node('bin', (), [Node('const', (), extra=1.0), Node('ipow', (), [a], extra=2)], op='+')
        if c < 0.5:
            return Node('un', (), [a], op='softplus')
        if c < 0.6:
            return Node('un', (), [a], op='sigmoid')
        if c < 0.7:
            return Node('un', (), [a], op='cosh')
        if c < 0.8:
            return Node('bin', (), [a, Node('const', (), extra=0.75)], op='hypot')
        if c < 0.9:
            return Node('un', (), [a], op='erfc')
        return a  # rejection sampling keeps the points where it is positive

    def unit(self, depth):
        """An expression inside (-1, 1) by construction (mostly)."""
        a = self.scalar(depth - 1) if depth > 0 and self.spend() else self.terminal(())
        c = self.r()
        if c < 0.3:
            return Node('un', (), [a], op='tanh')
        if c < 0.5:
            return Node('un', (), [a], op='sin')
        if c < 0.65:
            return Node('un', (), [a], op='erf')
        if c < 0.8:
            return Node('bin', (), [Node('const', (), extra=0.5), Node('un', (), [a], op='cos')], op='*')
        if c < 0.9:
            return Node('un', (), [a], op='sigmoid')
        return a

    def unary(self, op, depth, shape):
        if shape == ():
            if op in ('log', 'sqrt'):
                a = self.positive(depth - 1)
            elif op in ('asin', 'acos'):
                a = self.unit(depth - 1)
            else:
                a = self.scalar(depth - 1)
        else:
            a = self.tensor(shape, depth - 1)
        return Node('un', shape, [a], op=op)

    def scalar(self, depth):
        if depth <= 0 or not self.spend():
            return self.terminal(())
        c = self.r()
        if c < 0.30:
            return self.unary(self.pick(UNARY), depth, ())
        if c < 0.50:
            op = self.pick(['+', '-', '*', '/', '*'])
            a = self.scalar(depth - 1)
            b = self.positive(depth - 1) if op == '/' and self.r() < 0.6 else self.scalar(depth - 1)
            if self.r() < 0.2:  # an operand is a literal scalar
                k = Node('const', (), extra=self.pick(CONSTS))
                # an integer literal (`2 * x`) is converted to the expression's element type
                k.int_literal = float(k.extra).is_integer() and self.r() < 0.5
                a, b = (k, b) if self.r() < 0.5 else (a, k)
            return Node('bin', (), [a, b], op=op)
        if c < 0.60:
            op = self.pick(BINARY_FN)
            if op == 'pow':
                base = self.positive(depth - 1)
                if self.r() < 0.4:
                    return Node('bin', (), [base, Node('const', (), extra=self.pick([0.5, 1.5, -1.5, 2.5]))], op='pow')
                return Node('bin', (), [base, self.unit(depth - 1)], op='pow')
            return Node('bin', (), [self.scalar(depth - 1), self.scalar(depth - 1)], op=op)
        if c < 0.66:
            return Node('ipow', (), [self.scalar(depth - 1)], extra=self.pick([2, 3, -1, -2, 4]))
        if c < 0.82:
            shape = self.pick([(3,), (3,), (2, 3)])
            if not any(l.shape == shape for l in self.leaves) and self.r() < 0.7:
                return self.scalar(depth - 1)
            t = self.tensor(shape, depth - 1)
            k = self.r()
            if shape == (2, 3) and self.r() < 0.4:
                mv = Node('matmul', (2,), [t, self.tensor((3,), depth - 1)])
                return Node('red', (), [mv], op=self.pick(['sum', 'mean', 'norm']))
            if k < 0.3:
                return Node('red', (), [t], op='sum')
            if k < 0.5:
                return Node('red', (), [t], op='mean')
            if k < 0.65:
                return Node('red', (), [t], op='norm')
            if k < 0.85 and shape == (3,):
                return Node('dot', (), [t, self.tensor((3,), depth - 1)])
            idx = (int(self.r() * 3),) if shape == (3,) else (int(self.r() * 2), int(self.r() * 3))
            return Node('index', (), [t], extra=idx)
        if c < 0.92 and self.lets < 3:
            return self.let((), depth)
        return self.scalar(depth - 1)

    def tensor(self, shape, depth):
        if depth <= 0 or not self.spend():
            return self.terminal(shape)
        c = self.r()
        if c < 0.35:
            op = self.pick(['exp', 'sin', 'cos', 'tanh', 'atan', 'sigmoid', 'softplus', 'erf',
                            'abs', 'relu', 'expm1', 'cbrt', 'sinh'])
            return Node('un', shape, [self.tensor(shape, depth - 1)], op=op)
        if c < 0.6:
            op = self.pick(['+', '-', '*', '*', 'min', 'max', 'hypot', 'atan2'])
            a = self.tensor(shape, depth - 1)
            k = self.r()
            if k < 0.4:
                b = self.scalar(depth - 1)          # broadcast of a scalar expression
            elif k < 0.55 and shape == (2, 3):
                b = self.tensor((3,), depth - 1)    # broadcast of a row
            else:
                b = self.tensor(shape, depth - 1)
            if self.r() < 0.5:
                a, b = b, a
            return Node('bin', shape, [a, b], op=op)
        if c < 0.7:
            return Node('ipow', shape, [self.tensor(shape, depth - 1)], extra=self.pick([2, 3]))
        if c < 0.78 and shape == (3,) and any(l.shape == (2, 3) for l in self.leaves):
            # [2,3] x [3] -> [2]; one of its elements scales a vector
            m = self.tensor((2, 3), depth - 1)
            w = self.tensor((3,), depth - 1)
            mv = Node('matmul', (2,), [m, w])
            return Node('bin', (3,), [Node('index', (), [mv], extra=(int(self.r() * 2),)),
                                      self.tensor((3,), depth - 1)], op='*')
        if c < 0.85 and self.lets < 3:
            return self.let(shape, depth)
        if c < 0.92:
            return Node('bin', shape, [self.tensor(shape, depth - 1), self.const_tensor(shape)],
                        op=self.pick(['*', '+']))
        return self.tensor(shape, depth - 1)

    def let(self, shape, depth):
        self.lets += 1
        bshape = self.pick([(), (), (3,)]) if shape == () else shape
        if shape == () and bshape == (3,) and not any(l.shape == (3,) for l in self.leaves):
            bshape = ()
        bound = self.scalar(depth - 1) if bshape == () else self.tensor(bshape, depth - 1)
        h = Node('handle', bshape, extra='h%d' % self.lets)
        h.bound = bound
        self.handles.append(h)
        # the body uses the handle at least twice
        if shape == ():
            if bshape == ():
                a = Node('un', (), [h], op=self.pick(['sin', 'exp', 'tanh', 'atan', 'softplus']))
                body = Node('bin', (), [h, a], op=self.pick(['*', '+', '-']))
                body = Node('bin', (), [body, self.scalar(depth - 1)], op=self.pick(['+', '*']))
            else:
                body = Node('dot', (), [h, Node('un', (3,), [h], op=self.pick(['sin', 'tanh', 'exp']))])
                body = Node('bin', (), [body, self.scalar(depth - 1)], op=self.pick(['+', '*', '-']))
        else:
            body = Node('bin', shape, [Node('ipow', shape, [h], extra=2),
                                       Node('un', shape, [h], op=self.pick(['cos', 'sigmoid', 'erf']))],
                        op=self.pick(['+', '*', '-']))
            body = Node('bin', shape, [body, self.tensor(shape, depth - 1)], op=self.pick(['+', '*']))
        self.handles.remove(h)
        return Node('let', shape, [bound, body], extra=h)


# ---------------------------------------------------------------------------------- emitters
def lit(v):
    return repr(float(v))


def ct_text(n):
    """The ctgrad expression."""
    k = n.kind
    if k == 'leaf':
        return n.op.name
    if k == 'handle':
        return n.extra
    if k == 'const':
        if n.shape == ():
            if getattr(n, 'int_literal', False):
                return str(int(n.extra))
            return lit(n.extra)
        return 'ctgrad::tensor<double, %s>{%s}' % (', '.join(map(str, n.shape)),
                                                    ', '.join(lit(v) for v in n.extra))
    if k == 'un':
        return 'ctgrad::%s(%s)' % (n.op, ct_text(n.args[0]))
    if k == 'bin':
        a, b = ct_text(n.args[0]), ct_text(n.args[1])
        if n.op in '+-*/':
            return '(%s %s %s)' % (a, n.op, b)
        return 'ctgrad::%s(%s, %s)' % (n.op, a, b)
    if k == 'ipow':
        return 'ctgrad::pow<%d>(%s)' % (n.extra, ct_text(n.args[0]))
    if k == 'red':
        return 'ctgrad::%s(%s)' % (n.op, ct_text(n.args[0]))
    if k == 'dot':
        return 'ctgrad::dot(%s, %s)' % (ct_text(n.args[0]), ct_text(n.args[1]))
    if k == 'matmul':
        return 'ctgrad::matmul(%s, %s)' % (ct_text(n.args[0]), ct_text(n.args[1]))
    if k == 'index':
        a = ct_text(n.args[0])
        if len(n.extra) == 1:
            return '%s[%d]' % (a, n.extra[0])
        return '%s(%d, %d)' % (a, n.extra[0], n.extra[1])
    if k == 'let':
        h = n.extra
        return 'ctgrad::let(%s, [&](auto %s) { return %s; })' % (ct_text(n.args[0]), h.extra,
                                                                 ct_text(n.args[1]))
    raise ValueError(k)


def broadcast_index(shape, out_shape, flat):
    """Flat index into an operand of `shape` for element `flat` of `out_shape` (NumPy rules)."""
    if shape == ():
        return 0
    idx = []
    rem = flat
    for e in reversed(out_shape):
        idx.append(rem % e)
        rem //= e
    idx.reverse()
    idx = idx[len(out_shape) - len(shape):]
    f = 0
    for i, e in zip(idx, shape):
        f = f * e + (i if e != 1 else 0)
    return f


# Arithmetic goes through functions too: for Sacado they are compiled once, in diff_main.cpp,
# instead of being inlined into every generated function (which doubled the compile time).
ARITH = {'+': 'f_add', '-': 'f_sub', '*': 'f_mul', '/': 'f_div'}


def chain(fn, terms):
    """fn(fn(t0, t1), t2)...: a left-to-right fold."""
    e = terms[0]
    for t in terms[1:]:
        e = '%s(%s, %s)' % (fn, e, t)
    return e


class Program:
    """The expression as straight-line scalar code: instructions over slots."""
    def __init__(self, leaves):
        self.ins = []   # (op, args, extra); op 'in' reads component extra
        self.memo = {}
        self.leaves = leaves

    def emit(self, op, args=(), extra=None):
        self.ins.append((op, list(args), extra))
        return len(self.ins) - 1

    def lower(self, n):
        key = id(n)
        if key in self.memo:
            return self.memo[key]
        out = self._lower(n)
        self.memo[key] = out
        return out

    def _lower(self, n):
        k = n.kind
        if k == 'leaf':
            return [self.emit('in', extra=n.op.offset + i) for i in range(n.op.size())]
        if k == 'handle':
            return self.lower(n.bound)
        if k == 'const':
            vals = [n.extra] if n.shape == () else n.extra
            return [self.emit('const', extra=v) for v in vals]
        if k == 'un':
            return [self.emit(n.op, [a]) for a in self.lower(n.args[0])]
        if k == 'bin':
            a, b = self.lower(n.args[0]), self.lower(n.args[1])
            sa, sb = n.args[0].shape, n.args[1].shape
            size = math.prod(n.shape)
            return [self.emit(n.op, [a[broadcast_index(sa, n.shape, i)],
                                     b[broadcast_index(sb, n.shape, i)]]) for i in range(size)]
        if k == 'ipow':
            return [self.emit('ipow', [a], n.extra) for a in self.lower(n.args[0])]
        if k == 'red':
            return [self.emit(n.op, self.lower(n.args[0]))]
        if k == 'dot':
            a, b = self.lower(n.args[0]), self.lower(n.args[1])
            return [self.emit('dot', a + b)]
        if k == 'matmul':
            m, v = self.lower(n.args[0]), self.lower(n.args[1])
            return [self.emit('dot', m[3 * r:3 * r + 3] + v) for r in range(2)]
        if k == 'index':
            a = self.lower(n.args[0])
            sh = n.args[0].shape
            f = n.extra[0] if len(sh) == 1 else n.extra[0] * sh[1] + n.extra[1]
            return [a[f]]
        if k == 'let':
            self.lower(n.args[0])      # the bound value first, as let evaluates it once
            return self.lower(n.args[1])
        raise ValueError(k)

    def cpp(self, name, root):
        lines = ['template <class T>', 'T %s(const T* x) {' % name]
        # only what the root depends on: ctgrad computes whole tensors (and the generator keeps
        # every element in its domain), but unused scalars would be unused variables here
        live = [False] * len(self.ins)
        live[root] = True
        for i in range(len(self.ins) - 1, -1, -1):
            if live[i]:
                for j in self.ins[i][1]:
                    live[j] = True
        for i, (op, args, extra) in enumerate(self.ins):
            if not live[i]:
                continue
            a = ['s%d' % j for j in args]
            if op == 'in':
                e = 'x[%d]' % extra
            elif op == 'const':
                e = 'T(%s)' % lit(extra)
            elif op in ('+', '-', '*', '/'):
                e = '%s(%s, %s)' % (ARITH[op], a[0], a[1])
            elif op == 'ipow':
                e = 'f_ipow<%d>(%s)' % (extra, a[0])
            elif op == 'sum':
                e = chain('f_add', a)
            elif op == 'mean':
                e = 'f_div(%s, T(%d.0))' % (chain('f_add', a), len(a))
            elif op == 'norm':
                e = 'f_sqrt(%s)' % chain('f_add', ['f_mul(%s, %s)' % (t, t) for t in a])
            elif op == 'dot':
                h = len(a) // 2
                e = chain('f_add', ['f_mul(%s, %s)' % (a[j], a[h + j]) for j in range(h)])
            else:
                e = 'f_%s(%s)' % (op, ', '.join(a))
            lines.append('    const T s%d = %s;' % (i, e))
        lines.append('    return s%d;' % root)
        lines.append('}')
        return '\n'.join(lines)


# ------------------------------------------------------------------- evaluation in Python
class Reject(Exception):
    pass


def sigmoid(a):
    return 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))


def evaluate(prog, x, nv, with_grad, root=None):
    """Values (and, with_grad, the absolute chain-rule sums d_j and the step bounds h_j).

    Rejects points outside the domains or too close to kinks, poles and branch cuts. A margin m
    on an argument means: the argument must not move by more than m within the finite-difference
    stencil, so each component's step is limited to m / 4 over that argument's sensitivity.

    Two absolute chain-rule sums are propagated: dv with the exact local partials, and dr where
    a partial computed from the op's output by a cancelling formula (1 - y^2 for tanh, y (1 - y)
    for sigmoid, y + 1 for expm1) counts with the size of its terms, since its rounding error is
    eps times that size, not eps times its value. dr is the condition scale of the tolerance.
    """
    val = [0.0] * len(prog.ins)
    dv = [None] * len(prog.ins)
    drs = [None] * len(prog.ins)
    h = [H_MAX * max(1.0, abs(xi)) for xi in x]
    vmax = 0.0
    local = [None] * len(prog.ins)   # the local partials of each instruction
    zero = [0.0] * nv

    def margin(m, *slots):
        if m <= 0:
            raise Reject()
        if with_grad:
            for j in range(nv):
                s = sum(dv[k][j] for k in slots)
                if s > 0:
                    h[j] = min(h[j], 0.25 * m / s)

    for i, (op, args, extra) in enumerate(prog.ins):
        a = [val[j] for j in args]
        d = None   # local partials |df/da_k|
        dr = None  # the sizes of the terms of a cancelling partial (see above)
        try:
            if op == 'in':
                y = x[extra]
            elif op == 'const':
                y = extra
            elif op == '+':
                y = a[0] + a[1]; d = [1, 1]
            elif op == '-':
                y = a[0] - a[1]; d = [1, 1]
            elif op == '*':
                y = a[0] * a[1]; d = [abs(a[1]), abs(a[0])]
            elif op == '/':
                if abs(a[1]) < 0.05: raise Reject()
                margin(abs(a[1]) / 2, args[1])
                y = a[0] / a[1]; d = [1 / abs(a[1]), abs(y / a[1])]
            elif op == 'ipow':
                if extra < 0:
                    if abs(a[0]) < 0.05: raise Reject()
                    margin(abs(a[0]) / 2, args[0])
                y = a[0] ** extra; d = [abs(extra * a[0] ** (extra - 1))]
            elif op in ('sum', 'mean'):
                y = sum(a); d = [1] * len(a)
                if op == 'mean':
                    y /= len(a); d = [1 / len(a)] * len(a)
            elif op == 'norm':
                y = math.sqrt(sum(t * t for t in a))
                if y < 0.1: raise Reject()
                margin(y / 2, *args)
                d = [abs(t) / y for t in a]
            elif op == 'dot':
                hh = len(a) // 2
                y = sum(a[j] * a[hh + j] for j in range(hh))
                d = [abs(a[hh + j]) for j in range(hh)] + [abs(a[j]) for j in range(hh)]
            elif op == 'exp':
                y = math.exp(a[0]); d = [y]
            elif op == 'log':
                if a[0] < 0.05: raise Reject()
                margin(a[0] / 2, args[0])
                y = math.log(a[0]); d = [1 / a[0]]
            elif op == 'log1p':
                if a[0] < -0.95: raise Reject()
                margin((1 + a[0]) / 2, args[0])
                y = math.log1p(a[0]); d = [1 / (1 + a[0])]
            elif op == 'expm1':
                y = math.expm1(a[0]); d = [math.exp(a[0])]; dr = [abs(y)]
            elif op == 'sqrt':
                if a[0] < 0.05: raise Reject()
                margin(a[0] / 2, args[0])
                y = math.sqrt(a[0]); d = [0.5 / y]
            elif op == 'cbrt':
                if abs(a[0]) < 0.05: raise Reject()
                margin(abs(a[0]) / 2, args[0])
                y = math.copysign(abs(a[0]) ** (1 / 3), a[0]); d = [1 / (3 * y * y)]
            elif op == 'sin':
                y = math.sin(a[0]); d = [abs(math.cos(a[0]))]
            elif op == 'cos':
                y = math.cos(a[0]); d = [abs(math.sin(a[0]))]
            elif op == 'tan':
                if abs(math.cos(a[0])) < 0.2: raise Reject()
                margin(0.1, args[0])
                y = math.tan(a[0]); d = [1 + y * y]
            elif op in ('asin', 'acos'):
                if abs(a[0]) > 0.95: raise Reject()
                margin((1 - abs(a[0])) / 2, args[0])
                y = math.asin(a[0]) if op == 'asin' else math.acos(a[0])
                d = [1 / math.sqrt(1 - a[0] * a[0])]
            elif op == 'atan':
                y = math.atan(a[0]); d = [1 / (1 + a[0] * a[0])]
            elif op == 'sinh':
                y = math.sinh(a[0]); d = [math.cosh(a[0])]
            elif op == 'cosh':
                y = math.cosh(a[0]); d = [abs(math.sinh(a[0]))]
            elif op == 'tanh':
                y = math.tanh(a[0]); d = [1 - y * y]; dr = [y * y]
            elif op == 'erf':
                y = math.erf(a[0]); d = [2 / math.sqrt(math.pi) * math.exp(-a[0] ** 2)]
            elif op == 'erfc':
                y = math.erfc(a[0]); d = [2 / math.sqrt(math.pi) * math.exp(-a[0] ** 2)]
            elif op == 'sigmoid':
                y = sigmoid(a[0]); d = [y * (1 - y)]; dr = [y]
            elif op == 'softplus':
                y = math.log1p(math.exp(a[0])) if a[0] < 30 else a[0]; d = [sigmoid(a[0])]
            elif op in ('relu', 'abs'):
                if abs(a[0]) < 0.02: raise Reject()
                margin(abs(a[0]) / 2, args[0])
                y = (max(a[0], 0.0) if op == 'relu' else abs(a[0]))
                d = [1.0 if (op == 'abs' or a[0] > 0) else 0.0]
            elif op in ('min', 'max'):
                gap = abs(a[0] - a[1])
                if gap < 0.02: raise Reject()
                margin(gap / 2, args[0], args[1])
                y = min(a) if op == 'min' else max(a)
                first = (a[0] < a[1]) == (op == 'min')
                d = [1.0, 0.0] if first else [0.0, 1.0]
            elif op == 'hypot':
                y = math.hypot(a[0], a[1])
                if y < 0.05: raise Reject()
                margin(y / 2, args[0], args[1])
                d = [abs(a[0]) / y, abs(a[1]) / y]
            elif op == 'atan2':
                r2 = a[0] * a[0] + a[1] * a[1]
                if r2 < 0.01: raise Reject()
                if a[1] < 0:   # the branch cut: y = 0, x < 0
                    if abs(a[0]) < 0.05: raise Reject()
                    margin(abs(a[0]) / 2, args[0], args[1])
                margin(math.sqrt(r2) / 2, args[0], args[1])
                y = math.atan2(a[0], a[1]); d = [abs(a[1]) / r2, abs(a[0]) / r2]
            elif op == 'pow':
                if a[0] < 0.1: raise Reject()
                margin(a[0] / 2, args[0])
                y = a[0] ** a[1]
                d = [abs(a[1] * a[0] ** (a[1] - 1)), abs(y * math.log(a[0]))]
            else:
                raise ValueError(op)
        except (OverflowError, ValueError, ZeroDivisionError):
            raise Reject()
        if not math.isfinite(y) or abs(y) > VMAX:
            raise Reject()
        vmax = max(vmax, abs(y))
        val[i] = y
        if with_grad:
            if op == 'in':
                g = [0.0] * nv
                g[extra] = 1.0
                gr = g
            elif op == 'const':
                g = gr = zero
            else:
                g = [sum(dk * dv[k][j] for dk, k in zip(d, args)) for j in range(nv)]
                dd = d if dr is None else [u + w for u, w in zip(d, dr)]
                gr = [sum(dk * drs[k][j] for dk, k in zip(dd, args)) for j in range(nv)]
            dv[i] = g
            drs[i] = gr
            local[i] = d
    if not with_grad:
        return val, dv, drs, h, vmax, 0.0
    # Rounding scale of f: sum over intermediates of |df/dv_k| |v_k| (a reverse sweep with
    # absolute partials); eps times it bounds the rounding error of evaluating f.
    adj = [0.0] * len(prog.ins)
    adj[root] = 1.0
    for i in range(len(prog.ins) - 1, -1, -1):
        if adj[i] and local[i]:
            for dk, k in zip(local[i], prog.ins[i][1]):
                adj[k] += dk * adj[i]
    fround = sum(a * abs(v) for a, v in zip(adj, val))
    return val, dv, drs, h, vmax, fround


def sample_points(gen, prog, root, leaves, nv, npoints):
    """Rejection sampling of npoints valid points; None when too few are found."""
    ranges = []
    grad = []
    for l in leaves:
        for _ in range(l.size()):
            ranges.append((0.2, 2.5) if l.positive else (-2.0, 2.0))
            grad.append(l.grad)
    pts = []
    tries = 0
    while len(pts) < npoints and tries < 30 * npoints:
        tries += 1
        x = [round(lo + (hi - lo) * gen.r(), 4) for lo, hi in ranges]
        try:
            evaluate(prog, x, nv, False)
            val, dv, drs, h, vmax, fround = evaluate(prog, x, nv, True, root)
        except Reject:
            continue
        cond = drs[root]
        # reject huge conditioning, and cancelling partials that lose more than 3 digits
        if any(grad[j] and (cond[j] > COND_MAX or h[j] < H_MIN * max(1.0, abs(x[j]))
                            or cond[j] > 1e3 * dv[root][j])
               for j in range(nv)):
            continue
        pts.append((x, h, cond, vmax, fround))
    return pts if len(pts) == npoints else None


def count_nodes(n):
    if n.kind in ('leaf', 'handle', 'const'):
        return 1
    return 1 + sum(count_nodes(a) for a in n.args)


def mark_used(root, leaves):
    """The leaves the expression really contains (through let bodies and bound values)."""
    for l in leaves:
        l.used = False
    seen = set()
    def walk(n):
        if id(n) in seen:
            return
        seen.add(id(n))
        if n.kind == 'leaf':
            n.op.used = True
        for a in n.args:
            walk(a)
    walk(root)


def make_case(gen, k, npoints):
    while True:
        root = gen.new_expression()
        if root.kind in ('leaf', 'handle', 'const'):
            continue  # `auto y = x0;` would copy the leaf, not build an expression
        mark_used(root, gen.leaves)
        used = [l for l in gen.leaves if l.used]
        if not any(l.grad for l in used):
            continue
        if count_nodes(root) > 45:
            continue
        off = 0
        for l in used:
            l.offset = off
            off += l.size()
        prog = Program(used)
        r = prog.lower(root)
        assert len(r) == 1
        pts = sample_points(gen, prog, r[0], used, off, npoints)
        if pts is None:
            continue
        return root, used, prog, r[0], pts


def component_names(leaves):
    names = []
    for l in leaves:
        if l.shape == ():
            names.append(l.name)
        elif len(l.shape) == 1:
            names += ['%s[%d]' % (l.name, i) for i in range(l.shape[0])]
        else:
            names += ['%s(%d,%d)' % (l.name, i, j) for i in range(l.shape[0]) for j in range(l.shape[1])]
    return names


def leaf_decl(l):
    if l.shape == ():
        v = '0.0'
    else:
        v = 'ctgrad::tensor<double, %s>{}' % ', '.join(map(str, l.shape))
    return 'ctgrad::leaf %s{%s%s};' % (l.name, v, ', ctgrad::requires_grad' if l.grad else '')


def element_refs(l, what):
    if l.shape == ():
        return ['%s.%s()' % (l.name, what)]
    if len(l.shape) == 1:
        return ['%s.%s()[%d]' % (l.name, what, i) for i in range(l.shape[0])]
    return ['%s.%s()(%d, %d)' % (l.name, what, i, j)
            for i in range(l.shape[0]) for j in range(l.shape[1])]


def emit_case(seed, k, case, npoints):
    root, leaves, prog, rslot, pts = case
    nv = sum(l.size() for l in leaves)
    text = ct_text(root)
    names = component_names(leaves)
    gmask = [l.grad for l in leaves for _ in range(l.size())]
    out = []
    out.append('// expression %d' % k)
    out.append(prog.cpp('plain%d' % k, rslot))
    def table(name, rows):
        return 'constexpr double %s[%d][%d] = {\n%s};' % (
            name, npoints, nv, ',\n'.join('    {' + ', '.join(rows_i) + '}' for rows_i in rows))
    out.append(table('P%d' % k, [[lit(v) for v in p[0]] for p in pts]))
    out.append(table('H%d' % k, [['%.6g' % v for v in p[1]] for p in pts]))
    out.append(table('C%d' % k, [['%.6g' % v for v in p[2]] for p in pts]))
    out.append('constexpr double V%d[%d] = {%s};' % (k, npoints, ', '.join('%.6g' % p[3] for p in pts)))
    out.append('constexpr double R%d[%d] = {%s};' % (k, npoints, ', '.join('%.6g' % p[4] for p in pts)))
    out.append('constexpr const char* N%d[%d] = {%s};' % (k, nv, ', '.join('"%s"' % s for s in names)))
    out.append('constexpr bool G%d[%d] = {%s};' % (k, nv, ', '.join('true' if g else 'false' for g in gmask)))
    out.append('void case%d() {' % k)
    for l in leaves:
        out.append('    ' + leaf_decl(l))
        if not l.grad:
            out.append('    static_assert(!ctgrad::requires_grad_v<decltype(%s)>);' % l.name)
    out.append('    auto y = %s;' % text)
    out.append('    static_assert(ctgrad::requires_grad_v<decltype(y)>);')
    out.append('    const case_info info{"seed %d, expression %d", %s, %d, N%d, G%d};' % (
        seed, k, cpp_string(text), nv, k, k))
    # Pass 0 computes point 0; pass 1 repeats it without zeroing the gradients, so the gradient
    # must have doubled (accumulation), then checks point 0; passes 2.. check the other points.
    # One call site of backward() keeps the compile time down.
    out.append('    double g0[%d] = {};' % nv)
    out.append('    for (int pass = 0; pass <= %d; ++pass) {' % npoints)
    out.append('        const int p = pass == 0 ? 0 : pass - 1;')
    j = 0
    for l in leaves:
        for ref in element_refs(l, 'value'):
            out.append('        %s = P%d[p][%d];' % (ref, k, j))
            j += 1
    zeros = ['%s.zero_grad();' % l.name for l in leaves if l.grad]
    out.append('        if (pass != 1) {')
    out += ['            ' + z for z in zeros]
    out.append('        }')
    out.append('        const double value = y.backward();')
    grads = []
    for l in leaves:
        grads += element_refs(l, 'grad') if l.grad else ['0.0'] * l.size()
    out.append('        double g[%d] = {%s};' % (nv, ', '.join(grads)))
    out.append('        if (pass == 0) {')
    out.append('            std::copy(g, g + %d, g0);' % nv)
    out.append('            continue;')
    out.append('        }')
    out.append('        if (pass == 1) {')
    out.append('            check_accumulation(info, C%d[0], g0, g);' % k)
    out.append('            std::copy(g0, g0 + %d, g);' % nv)
    out.append('        }')
    out.append('        check(info, point_info{P%d[p], H%d[p], C%d[p], V%d[p], R%d[p]}, value, g,'
               % (k, k, k, k, k))
    out.append('              &plain%d<long double>,' % k)
    out.append('              sacado_fn(&plain%d<ad_t>));' % k)
    out.append('    }')
    out.append('}')
    return '\n'.join(out)


def cpp_string(s):
    # split long literals so no source line gets unwieldy
    parts = [s[i:i + 100] for i in range(0, len(s), 100)] or ['']
    return '\n        '.join('"%s"' % p for p in parts)


HEADER = '''// Generated by tests/diff/gen_diff.py --seed {seed} --expressions {total} --points {points} --units {units}.
// Do not edit: change the generator or its arguments (docs/testing.md).
#include <algorithm>

#include <ctgrad/ctgrad.hpp>

#include "diff_support.hpp"

namespace ctgrad_diff {{
namespace {{
#if CTGRAD_DIFF_SACADO
using ad_t = ad;
constexpr plain_ad sacado_fn(plain_ad f) {{ return f; }}
#else
using ad_t = long double;   // unused: without Sacado no second instantiation is needed
constexpr plain_ad sacado_fn(plain_ld) {{ return nullptr; }}
#endif
'''


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--expressions', type=int, default=96)
    ap.add_argument('--points', type=int, default=108)
    ap.add_argument('--units', type=int, default=4)
    ap.add_argument('--out', required=True)
    ns = ap.parse_args(argv)
    gen = Gen(random.Random(ns.seed))
    os.makedirs(ns.out, exist_ok=True)
    cases = [make_case(gen, k, ns.points) for k in range(ns.expressions)]
    for u in range(ns.units):
        ks = [k for k in range(ns.expressions) if k % ns.units == u]
        body = [HEADER.format(seed=ns.seed, total=ns.expressions, points=ns.points, units=ns.units)]
        for k in ks:
            body.append(emit_case(ns.seed, k, cases[k], ns.points))
        body.append('}  // namespace\n')
        body.append('void run_unit%d() {' % u)
        body += ['    case%d();' % k for k in ks]
        body.append('}\n}  // namespace ctgrad_diff\n')
        write(os.path.join(ns.out, 'diff_tu%d.cpp' % u), '\n'.join(body))
    reg = ['// Generated by tests/diff/gen_diff.py: runs every generated unit.',
           'namespace ctgrad_diff {']
    reg += ['void run_unit%d();' % u for u in range(ns.units)]
    reg.append('void run_all() {')
    reg += ['    run_unit%d();' % u for u in range(ns.units)]
    reg.append('}\n}  // namespace ctgrad_diff\n')
    write(os.path.join(ns.out, 'diff_registry.cpp'), '\n'.join(reg))
    return 0


def write(path, text):
    # always rewritten: the build reruns the generator only when it or its arguments change, and
    # an output left older than its inputs would make it rerun on every build
    with open(path, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
