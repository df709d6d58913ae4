#!/usr/bin/env python3
"""Turns Google Benchmark JSON files (run with --benchmark_repetitions and random interleaving) into
the tables of docs/benchmarks.md.

Benchmarks are named `problem/impl`. For each problem and implementation: the median CPU time per
gradient over the repetitions, the ratio of medians to the hand-written adjoint (`hand`) and to
the primal (`primal`), and the spread of the per-repetition ratios (min-max; repetition i of an
implementation divided by repetition i of the baseline, which ran interleaved with it).

Run-time-length problems (those with a vectorized hand-written adjoint, `hand_simd`) get their own
table with the ratio to that adjoint as well. With `--images DIR` (anywhere in the arguments) it
also draws, per compiler, the ratios to the hand-written adjoint as DIR/runtime-<compiler>.png
(gnuplot, see bench/plots.py).

usage: report.py OUT.md COMMAND [--images DIR] --compiler "NAME" JSON... [--compiler "NAME" JSON...]
"""
import json
import os
import statistics
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plots  # noqa: E402  (bench/plots.py)

TARGET_HAND = 1.1  # ctgrad <= 1.1x the hand-written adjoint
TARGET_HAND_DYN = 1.3  # normal_lpdf, logsumexp and logreg (the run-time-length problems)


def hand_target(prob):
    return TARGET_HAND_DYN if prob.startswith(("normal_lpdf", "logsumexp", "logreg")) else TARGET_HAND
TARGET_PEER = 10.0  # ctgrad >= 10x faster than ADOL-C and Sacado

PROBLEM_ORDER = ["rosen", "fastad_test1", "blackscholes", "poly_chain", "sq_chain", "mlp", "logsumexp16",
                 "normal_lpdf_1000", "normal_lpdf_100000", "logsumexp_100", "logsumexp_10000",
                 "logreg_100000"]
IMPL_ORDER = ["primal", "hand", "hand_simd", "ctgrad_obj", "ctgrad_obj_nolet", "ctgrad_obj_recip", "ctgrad_fn", "adolc", "sacado_rad"]
IMPL_LABEL = {
    "primal": "primal (double)",
    "hand": "hand-written adjoint",
    "hand_simd": "hand-written adjoint, vectorized (libmvec)",
    "ctgrad_obj": "ctgrad, object API",
    "ctgrad_obj_nolet": "ctgrad, object API, no let in the step",
    "ctgrad_obj_recip": "ctgrad, object API, (y - mu) * let(1 / sigma)",
    "ctgrad_fn": "ctgrad, functional API",
    "adolc": "ADOL-C (zos_forward + fos_reverse)",
    "sacado_rad": "Sacado::Rad::ADvar",
}


def load(paths):
    times = defaultdict(dict)  # name -> {repetition_index: cpu ns}
    context = None
    order = []
    for p in paths:
        with open(p) as f:
            data = json.load(f)
        context = context or data.get("context", {})
        for b in data["benchmarks"]:
            if b.get("run_type") != "iteration":
                continue
            name = b["run_name"]
            if name not in times:
                order.append(name)
            scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
            times[name][b.get("repetition_index", 0)] = b["cpu_time"] * scale
    return times, context, order


def fmt_time(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.3g} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.3g} µs"
    return f"{ns:.3g} ns"


def ratio_cell(a, b):
    """Ratio of medians of a to b, with min-max of per-repetition ratios."""
    reps = sorted(set(a) & set(b))
    if not reps:
        return "–", None
    per = [a[r] / b[r] for r in reps]
    med = statistics.median(a.values()) / statistics.median(b.values())
    return f"{med:.2f} ({min(per):.2f}–{max(per):.2f})", med


def parse_args(argv):
    out, command, *rest = argv
    groups = []  # (compiler, [json paths])
    images = None
    it = iter(rest)
    for a in it:
        if a == "--images":
            images = next(it)
        elif a == "--compiler":
            groups.append((next(it), []))
        else:
            groups[-1][1].append(a)
    return out, command, groups, images


def slug(compiler):
    """A file-name part for a compiler's --version line."""
    c = compiler.lower()
    if "clang" in c:
        return "clang"
    if "g++" in c or "gcc" in c:
        return "gcc"
    return "".join(ch if ch.isalnum() else "-" for ch in c.split()[0])


def plot(compiler, impls, problems, images):
    """Bar chart of every implementation's ratio (of medians) to the scalar hand-written adjoint."""
    series = [i for i in IMPL_ORDER if i != "hand" and any(i in impls[p] for p in problems)]
    values = {}
    for p in problems:
        d = impls[p]
        for i in series:
            if i in d and "hand" in d:
                values[(p, IMPL_LABEL.get(i, i))] = statistics.median(d[i].values()) / statistics.median(d["hand"].values())
    name = f"runtime-{slug(compiler)}.png"
    ok = plots.bars(os.path.join(images, name), f"time per gradient / hand-written adjoint: {compiler}",
                    "ratio to the hand-written adjoint (log scale)", problems,
                    [IMPL_LABEL.get(i, i) for i in series], values)
    return name if ok else None


def table(w, problems, impls, simd):
    """Rows of every implementation of `problems`; `simd` adds the ratio to the vectorized adjoint."""
    extra = " ratio to vectorized hand-written adjoint |" if simd else ""
    w("| problem | implementation | median CPU time | ratio to hand-written adjoint |" + extra + " ratio to primal |")
    w("|---|---|---|---|---|" + ("---|" if simd else ""))
    for prob in problems:
        d = impls[prob]
        names = [i for i in IMPL_ORDER if i in d] + [i for i in d if i not in IMPL_ORDER]
        for impl in names:
            t = d[impl]
            rh = "1" if impl == "hand" else (ratio_cell(t, d["hand"])[0] if "hand" in d else "–")
            rp = "1" if impl == "primal" else (ratio_cell(t, d["primal"])[0] if "primal" in d else "–")
            cells = [f"`{prob}`", IMPL_LABEL.get(impl, impl), fmt_time(statistics.median(t.values())), rh]
            if simd:
                cells.append("1" if impl == "hand_simd" else (ratio_cell(t, d["hand_simd"])[0] if "hand_simd" in d else "–"))
            cells.append(rp)
            w("| " + " | ".join(cells) + " |")


def tables(w, compiler, paths, images=None, out_dir="."):
    """The results and targets tables of one compiler; returns the benchmark context."""
    times, ctx, order = load(paths)
    problems = [p for p in PROBLEM_ORDER if any(n.startswith(p + "/") for n in order)]
    impls = defaultdict(dict)
    for name in order:
        prob, impl = name.split("/", 1)
        if prob not in problems:
            problems.append(prob)
        impls[prob][impl] = times[name]
    nreps = max(len(v) for v in times.values())
    w(f"## Results: {compiler}")
    w("")
    la = ctx.get("load_avg") if ctx else None
    w(f"{nreps} repetitions, randomly interleaved" + (f"; load average at the start {', '.join(f'{x:.2f}' for x in la)}." if la else "."))
    w("")
    fixed = [p for p in problems if "hand_simd" not in impls[p]]
    runlen = [p for p in problems if "hand_simd" in impls[p]]
    table(w, fixed, impls, False)
    if runlen:
        w("")
        w(f"### Run-time-length problems (`tensor<double, dyn>`): {compiler}")
        w("")
        w("The scalar hand-written adjoint is a plain loop; the vectorized one is the same loop under")
        w("`#pragma omp simd`, compiled with `-fopenmp-simd -ffast-math` (Clang: `-fveclib=libmvec`), so that")
        w("`exp` becomes glibc's libmvec `_ZGVbN2v_exp` (2 doubles per call at the default x86-64 target).")
        w("")
        table(w, runlen, impls, True)
    summary = [(p, impls[p]) for p in problems if "ctgrad_obj" in impls[p] and "hand" in impls[p]]
    if images:
        name = plot(compiler, impls, problems, images)
        if name:
            rel = os.path.relpath(os.path.join(images, name), out_dir)
            w("")
            w(f"![ratios to the hand-written adjoint, {compiler}]({rel})")
    w("")
    w(f"### Against the targets: {compiler}")
    w("")
    w(f"Targets: ctgrad (object API) <= {TARGET_HAND}x the scalar hand-written adjoint ({TARGET_HAND_DYN}x for")
    w(f"normal_lpdf, logsumexp and logreg); ctgrad >= {TARGET_PEER:g}x")
    w("faster than ADOL-C and than Sacado (peer time / ctgrad object-API time, same run).")
    w("")
    w("| problem | ctgrad / hand | met? | ADOL-C / ctgrad | met? | Sacado / ctgrad | met? |")
    w("|---|---|---|---|---|---|---|")
    for prob, d in summary:
        c, m = ratio_cell(d["ctgrad_obj"], d["hand"])
        t = hand_target(prob)
        row = [f"`{prob}`", c, "yes" if m <= t else f"**no** (+{(m / t - 1) * 100:.0f}% over {t:g}x)"]
        for peer in ("adolc", "sacado_rad"):
            if peer in d:
                c2, m2 = ratio_cell(d[peer], d["ctgrad_obj"])
                row += [c2, "yes" if m2 >= TARGET_PEER else f"**no** (needs {TARGET_PEER / m2:.1f}x more)"]
            else:
                row += ["not run", "–"]
        w("| " + " | ".join(row) + " |")
    w("")
    return ctx


def main():
    out, command, groups, images = parse_args(sys.argv[1:])
    out_dir = os.path.dirname(os.path.abspath(out))
    lines = []
    w = lines.append
    w("# ctgrad run-time benchmarks")
    w("")
    w("Everything (run-time benchmarks, compile-time benchmarks, plots) is produced by one command from")
    w("the repository root, after `bash scripts/install-deps.sh && bash scripts/install-test-deps.sh && bash scripts/install-bench-deps.sh`:")
    w("")
    w("```sh")
    w("bash scripts/bench.sh")
    w("```")
    w("")
    w("It takes about 40 minutes on 2 shared cores (run time ~6, compile time ~33); the header of")
    w("`scripts/bench.sh` lists the environment variables that select parts")
    w("(`CTGRAD_BENCH_PARTS=\"runtime compile\"`), compilers and durations.")
    w("Compile-time results: [benchmarks-compile.md](benchmarks-compile.md).")
    w("")
    w("Generated by `scripts/bench.sh` (do not edit by hand; re-run the script). Problems and rules:")
    w("the problems and their rules are in `bench/problems.hpp` (inputs, primal, hand-written")
    w("adjoints), `bench/runtime_scalar.cpp`, `bench/runtime_tensor.cpp`, `bench/runtime_dyn.cpp`,")
    w("`bench/runtime_dyn_simd.cpp`, `bench/peers.hpp`.")
    w("")
    w("## How it was measured")
    w("")
    w(f"- Command: `{command}` (from the repository root).")
    w(f"- Compilers: {'; '.join(c for c, _ in groups)}. Flags `-O2 -DNDEBUG -std=c++20` (CMake Release")
    w("  with `CMAKE_CXX_FLAGS_RELEASE=\"-O2 -DNDEBUG\"`).")
    w("- Google Benchmark 1.7.1, `--benchmark_repetitions` with `--benchmark_enable_random_interleaving=true`:")
    w("  the repetitions of all benchmarks of a binary are shuffled, so drift hits every implementation")
    w("  alike. Times are **CPU time** per value+gradient (the machines are shared, so wall time includes")
    w("  time stolen by other jobs); the tables show the median over the repetitions.")
    w("- Ratios: median time of the implementation over the median of the baseline; in parentheses the")
    w("  min–max of the per-repetition ratios (repetition i against repetition i of the baseline).")
    w("- Before timing, every implementation's value and gradient is checked against the hand-written")
    w("  adjoint (relative error <= 1e-10); the binary aborts if one differs. Inputs go through an")
    w("  `asm volatile` barrier every iteration and results are consumed through one (Google Benchmark")
    w("  1.7.1's `DoNotOptimize` is not used on doubles).")
    w("- ctgrad object API: leaves and expression built once outside the loop; per iteration the leaves'")
    w("  values are set from the barriered inputs (mlp, logsumexp16: the parameters live in the leaves and")
    w("  are clobbered), `backward()` runs, the gradients are read and `zero_grad()` is called.")
    w("  Functional API: `ctgrad::value_and_grad<0, 1, ...>(f)(inputs...)`, which builds its leaves and")
    w("  the expression on every call. Shared intermediates use `ctgrad::let` (fastad_test1's w0, w1;")
    w("  blackscholes' sigma sqrt(T) and d1); the chains use `ctgrad::iterate<25>` / `<30>` with `let`")
    w("  in the step (and, for comparison, without it).")
    w("- Hand-written adjoints (`bench/problems.hpp`, `bench/runtime_tensor.cpp`): forward pass storing")
    w("  what the reverse sweep needs, then the reverse sweep, plain scalar loops (no SIMD math).")
    w("- Run-time-length problems (`bench/runtime_dyn.cpp`, `tensor<double, ctgrad::dyn>`): normal_lpdf")
    w("  (data y as a `ctgrad::view`, gradient w.r.t. mu and sigma) and logsumexp (x in a dyn leaf).")
    w("  Besides the scalar hand-written adjoint there is a vectorized one (`bench/runtime_dyn_simd.cpp`,")
    w("  libmvec `exp`); both are out-of-line functions. ctgrad object API: expression built once,")
    w("  per iteration `backward()`, the gradients consumed and `zero_grad()`; functional API:")
    w("  `value_and_grad`, which copies its tensor arguments into fresh leaves on every call.")
    w("- ADOL-C 2.7.2: traced once per problem, then `zos_forward` (keep = 1) + `fos_reverse` per")
    w("  gradient. Sacado 13.2: `Sacado::Rad::ADvar<double>`, a fresh tape per evaluation and")
    w("  `Gradcomp()`; its missing `erf` is supplied through the `ADf1` hook. Scalar problems only.")
    w("- Machine: 2 shared cores (Google Benchmark sees the CPUs below); run-to-run drift on these")
    w("  machines is 20–35% for problems of a few nanoseconds: compare ratios within one run, not")
    w("  absolute times across runs.")
    w("")
    for compiler, paths in groups:
        ctx = tables(w, compiler, paths, images, out_dir)
        if ctx and compiler == groups[0][0]:
            w(f"Google Benchmark context: {ctx.get('num_cpus', '?')} CPUs at {ctx.get('mhz_per_cpu', '?')} MHz.")
            w("")
    # Hand-written analysis (why targets are missed), kept beside the benchmarks so that a re-run
    # of the script keeps it.
    notes = __file__.rsplit("/", 1)[0] + "/notes.md"
    try:
        with open(notes) as f:
            w(f.read().rstrip())
            w("")
    except FileNotFoundError:
        pass
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
