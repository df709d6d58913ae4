#!/usr/bin/env python3
"""Compile-time benchmark of ctgrad.

Generates translation units holding one scalar expression over 4 variables x0..x3,
    f = sum_{k < N/4} ( x[k%4] * x[(k+1)%4] + sin(x[(k+2)%4]) )
written out in full (no shared intermediates; floor(N/4) terms, about N operations, a left-deep sum), in
the variants
    a  plain double function
    b  ctgrad, value only          (leaves that require grad, e.value())
    c  ctgrad, value and gradient  (e.backward(), the four grads)
    cx ctgrad gradient inside static_assert (checked against the gradient computed here in Python)
plus include-only baselines (the same includes, no expression) whose time and memory are
subtracted. Each TU is compiled with `CXX -std=c++20 -O2 -c`, one at a time; wall time, CPU time and
the compiler's peak resident memory (rusage of the child, which covers cc1plus / clang -cc1) are
recorded. A compiler that uses more than --timeout seconds of CPU (setrlimit RLIMIT_CPU; CPU rather
than wall time, so that a loaded machine does not turn slow compiles into timeouts) or, as a safety
net, 3 x --timeout of wall time is killed ("timeout"); the address space is limited to --mem-gb
(RLIMIT_AS, as ulimit -v), and a compiler that runs out is reported "out of memory". Once a variant
fails that way at some N it is not run at larger N, and (c) is not run where (b) failed.

For the static_assert variant the largest N that compiles under each compiler's default constexpr
limits is searched: binary search over the N list (extended by doubling up to --cx-max while the
largest passes), then bisection between the last N that passed and the first that failed (in steps
of one term) for --cx-refine steps.

Writes docs/benchmarks-compile.md (tables), docs/images/compile-*.png (gnuplot) and the raw
results as JSON in the work directory. `--smoke` compiles N = 25 of every variant with one
compiler and only checks that they compile (the CTest test bench_compile_smoke).

usage: run.py [--n 25,50,...] [--compilers g++,clang++-16] [--include DIR] [--timeout S]
              [--mem-gb G] [--reps R] [--time wall|cpu] [--out FILE.md] [--images DIR]
              [--work DIR] [--smoke] [--from-json RESULTS.json]
`--from-json` rewrites the report and plots from an earlier run's results without compiling.
The include directory defaults to $CTGRAD_INCLUDE_DIR, else this checkout's include/.
"""
import argparse
import json
import math
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(HERE))
import plots  # noqa: E402  (bench/plots.py)

X0 = (0.3, -0.7, 1.1, 0.5)  # the point of the static_assert variant
VARIANTS = ("a", "b", "c")
VARIANT_LABEL = {
    "a": "(a) plain double",
    "b": "(b) ctgrad value",
    "c": "(c) ctgrad value + gradient",
    "cx": "ctgrad gradient in static_assert",
}
FAILED = ("timeout", "out of memory")
OOM_PHRASES = ("out of memory", "virtual memory exhausted", "std::bad_alloc", "cannot allocate memory",
               "memory exhausted")


# ---- generation --------------------------------------------------------------------------------
def terms(n):
    return max(1, n // 4)


def expression(n, var, sin):
    """The sum of N/4 terms; var(i) names variable i, sin the sine function."""
    return " + ".join(f"{var(k % 4)} * {var((k + 1) % 4)} + {sin}({var((k + 2) % 4)})" for k in range(terms(n)))


def reference(n, x=X0):
    """Value and gradient at x, computed here (not by ctgrad): d/dx_a += x_b, d/dx_b += x_a,
    d/dx_c += cos(x_c) for each term."""
    v, g = 0.0, [0.0] * 4
    for k in range(terms(n)):
        a, b, c = k % 4, (k + 1) % 4, (k + 2) % 4
        v += x[a] * x[b] + math.sin(x[c])
        g[a] += x[b]
        g[b] += x[a]
        g[c] += math.cos(x[c])
    return v, g


LEAVES = "\n".join(f"    ctgrad::leaf x{i}{{in[{i}], ctgrad::requires_grad}};" for i in range(4))


def source(variant, n):
    """The TU of a variant; n is None for the include-only baseline."""
    if variant == "a":
        body = "x[0]" if n is None else expression(n, lambda i: f"x[{i}]", "std::sin")
        return f"#include <cmath>\n\ndouble f(const double* x) {{ return {body}; }}\n"
    head = "#include <ctgrad/ctgrad.hpp>\n\n"
    if n is None:
        return head + "double f(const double* in, double* g) { return g[0] = in[0]; }\n"
    expr = expression(n, lambda i: f"x{i}", "sin")
    if variant == "b":
        return head + f"double f(const double* in) {{\n{LEAVES}\n    auto e = {expr};\n    return e.value();\n}}\n"
    if variant == "c":
        grads = " ".join(f"g[{i}] = x{i}.grad();" for i in range(4))
        return (head + f"double f(const double* in, double* g) {{\n{LEAVES}\n    auto e = {expr};\n"
                f"    const double v = e.backward();\n    {grads}\n    return v;\n}}\n")
    if variant == "cx":
        v, g = reference(n)
        leaves = "\n".join(f"    ctgrad::leaf x{i}{{{X0[i]!r}, ctgrad::requires_grad}};" for i in range(4))
        checks = "\n".join(f"static_assert(near(r[{i + 1}], {g[i]!r}));" for i in range(4))
        return (head + "#include <array>\n\n"
                "// Relative 1e-9: constant-evaluated sin/cos may differ from Python's in the last bits.\n"
                "constexpr bool near(double a, double b) {\n"
                "    const double d = a - b, s = 1e-9 * (b < 0 ? -b : b) + 1e-300;\n"
                "    return -s <= d && d <= s;\n}\n\n"
                f"constexpr std::array<double, 5> r = [] {{\n{leaves}\n    auto e = {expr};\n"
                "    const double v = e.backward();\n"
                "    return std::array<double, 5>{v, x0.grad(), x1.grad(), x2.grad(), x3.grad()};\n}();\n\n"
                f"static_assert(near(r[0], {v!r}));\n{checks}\n")
    raise ValueError(variant)


# ---- compiling ---------------------------------------------------------------------------------
def compile_one(cxx, path, include, timeout, mem_gb):
    """Compiles one TU; returns {status, wall, cpu, rss_mb, message}. status: ok, error, timeout,
    out of memory."""
    cmd = [cxx, "-std=c++20", "-O2", "-I", include, "-c", path, "-o", os.devnull]
    limit = int(mem_gb * 2**30)
    cpu = max(1, int(math.ceil(timeout)))

    def limits():  # inherited by the compiler proper (cc1plus, clang -cc1)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))

    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limits,
                            start_new_session=True)
    timed_out = threading.Event()

    def kill():
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(3 * timeout + 30, kill)
    timer.start()
    err = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()))
    reader.start()
    # wait4 gives this child's own rusage; ru_maxrss covers the compiler proper it waited for.
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    timer.cancel()
    reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    text = err[0].decode(errors="replace") if err else ""
    res = {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mb": ru.ru_maxrss / 1024.0, "message": ""}
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)
    if timed_out.is_set() or killed or "cpu time limit" in text.lower() or "SIGXCPU" in text:
        res["status"] = "timeout"
    elif proc.returncode == 0:
        res["status"] = "ok"
    elif any(p in text.lower() for p in OOM_PHRASES):
        res["status"] = "out of memory"
    else:
        res["status"] = "error"
        lines = [ln for ln in text.splitlines() if "error" in ln]
        msg = lines[0] if lines else text.strip().splitlines()[-1] if text.strip() else f"exit code {proc.returncode}"
        # The reason of a failed constant evaluation is in the first note (e.g. a step limit).
        notes = [ln for ln in text.splitlines() if "note:" in ln]
        if notes:
            msg += " / " + notes[0].split("note:", 1)[1].strip()
        res["message"] = msg.replace(os.path.dirname(path) + "/", "")[:400]
    return res


def measure(cxx, variant, n, args, reps=1):
    """Compiles the TU of (variant, n) `reps` times; the repetition with the least wall time."""
    name = f"{variant}_{'base' if n is None else n}.cpp"
    path = os.path.join(args.work, os.path.basename(cxx), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(source(variant, n))
    if n is None:  # include-only: a first compile warms the file cache, not counted
        compile_one(cxx, path, args.include, args.timeout, args.mem_gb)
    best = None
    for _ in range(reps):
        r = compile_one(cxx, path, args.include, args.timeout, args.mem_gb)
        if r["status"] != "ok":
            return r
        if best is None or r["wall"] < best["wall"]:
            best = r
    return best


def log(msg):
    print(msg, flush=True)


def describe(r):
    if r["status"] == "ok":
        return f"{r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU, {r['rss_mb']:.0f} MB"
    return r["status"] + (f" ({r['message']})" if r["message"] else "")


def search_constexpr(cxx, args, results):
    """Largest N whose gradient compiles inside static_assert: binary search over the N list, then
    bisection in steps of one term (4 operations) between the last pass and the first failure."""
    tried = {}

    def ok(n):
        if n not in tried:
            r = measure(cxx, "cx", n, args)
            tried[n] = r
            log(f"  {cxx} static_assert N={n}: {describe(r)}")
        return tried[n]["status"] == "ok"

    ns = sorted(args.n)
    while ns[-1] * 2 <= args.cx_max and ok(ns[-1]):
        ns.append(ns[-1] * 2)
    lo, hi = -1, len(ns)  # ns[lo] passes, ns[hi] fails
    for i, n in enumerate(ns):  # what the doubling already found
        if n in tried:
            if tried[n]["status"] == "ok":
                lo = max(lo, i)
            else:
                hi = min(hi, i)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(ns[mid]):
            lo = mid
        else:
            hi = mid
    best = ns[lo] if lo >= 0 else None
    first_fail = ns[hi] if hi < len(ns) else None
    if best is not None and first_fail is not None:
        for _ in range(args.cx_refine):
            a, b = terms(best), terms(first_fail)
            if b - a <= 1:
                break
            m = 4 * ((a + b) // 2)
            if ok(m):
                best = m
            else:
                first_fail = m
    results["constexpr"][cxx] = {
        "largest_ok": best,
        "first_fail": first_fail,
        "tried": {str(k): v for k, v in sorted(tried.items())},
    }


# ---- report ------------------------------------------------------------------------------------
def net(r, base, key):
    if r is None or r["status"] != "ok":
        return None
    return r[key] - base[key]


def ratio(c, a, base_c, base_a, key, floor):
    """(c)/(a) of the net values. Below `floor`, (a)'s net value is noise: it is replaced by the floor
    and the ratio shown as a lower bound."""
    x, y = net(c, base_c, key), net(a, base_a, key)
    if x is None or y is None:
        return "–"
    if y < floor:
        return f"≥ {max(x, 0.0) / floor:.0f}"
    return f"{max(x, 0.0) / y:.0f}"


def ratio_total(c, a, key):
    """(c)/(a) of the whole compile, includes counted."""
    if c is None or a is None or c["status"] != "ok" or a["status"] != "ok":
        return "–"
    return f"{c[key] / a[key]:.1f}"


def write_report(res, args):
    tk = res["time"]
    w = []
    w.append("# ctgrad compile-time benchmarks")
    w.append("")
    w.append("Generated by `python3 bench/compile/run.py` (run by `bash scripts/bench.sh`; do not edit by")
    w.append("hand). Problem, generator and method: `bench/compile/run.py`.")
    w.append("")
    w.append("## How it was measured")
    w.append("")
    w.append("- One translation unit per (variant, N): the scalar expression")
    w.append("  `sum over k < N/4 of x[k%4] * x[(k+1)%4] + sin(x[(k+2)%4])` over 4 variables, written out")
    w.append("  in full as one left-deep sum (floor(N/4) terms of 3 operations joined by additions: about N")
    w.append("  operations, no shared intermediates), in a")
    w.append("  non-inline function. (a) plain `double`; (b) ctgrad: four leaves that require grad, the")
    w.append("  expression, `e.value()`; (c) the same with `e.backward()` and the four `grad()`s.")
    w.append(f"- Command per TU: `CXX -std=c++20 -O2 -I <include> -c tu.cpp -o /dev/null`, one compile at a")
    w.append(f"  time, best wall time of {res['reps']} run(s). Include directory: `{res['include']}`.")
    w.append(f"- Time: {'wall-clock' if tk == 'wall' else 'CPU (user + system)'} seconds of the compiler;"
             " memory: its peak resident set (`ru_maxrss` of")
    w.append("  the child, which covers cc1plus / clang's -cc1). Both **minus the include-only")
    w.append("  baseline** of the variant (the same includes and a trivial function), shown per compiler.")
    w.append("  The ratio (c)/(a) divides the net values; where (a)'s net time is below 0.05 s (or its")
    w.append("  memory below 1 MB) it is noise, so that floor is used and the ratio shown as a lower bound")
    w.append("  (≥). The last column divides the whole compiles (includes counted): what a user waits for.")
    w.append(f"- Limits: {res['timeout']:g} s of CPU per compile (`RLIMIT_CPU`; wall-clock safety net 3x that),")
    w.append(f"  then \"timeout\"; address space {res['mem_gb']:g} GB (`RLIMIT_AS`, i.e. `ulimit -v`), \"out of memory\"")
    w.append("  when the compiler fails to allocate. After a timeout or out-of-memory a variant is not run")
    w.append("  at larger N (\"not run\"), nor (c) where (b) failed. The machine is shared (2 cores): wall")
    w.append("  times move by 10-30% (more under load) between runs; CPU times less.")
    extra = res.get("elapsed_constexpr_extension")
    w.append(f"- Host: {res['host']}; run took {res['elapsed'] / 60:.1f} min in all"
             + (f" (plus {extra / 60:.1f} min for the static_assert search past the N list)." if extra else "."))
    w.append("")
    w.append("![compile time against N](images/compile-time.png)")
    w.append("")
    w.append("![compiler memory against N](images/compile-memory.png)")
    w.append("")
    for cxx, d in res["compilers"].items():
        bases = d["base"]
        if not d["runs"]:  # --no-variants
            continue
        w.append(f"## {d['version']}")
        w.append("")
        bl = ", ".join(f"{v} {bases[v][tk]:.2f} s / {bases[v]['rss_mb']:.0f} MB" for v in VARIANTS
                       if bases.get(v) and bases[v]["status"] == "ok")
        w.append(f"Include-only baselines (subtracted): {bl}.")
        w.append("")
        for key, what, unit, floor, fmt in ((tk, "time", "s", 0.05, "{:.2f}"), ("rss_mb", "memory", "MB", 1.0, "{:.0f}")):
            w.append(f"| N | {what} (a) {unit} | {what} (b) {unit} | {what} (c) {unit} | (c)/(a) net | (c)/(a) including the includes |")
            w.append("|---|---|---|---|---|---|")
            for n in res["n"]:
                row = d["runs"].get(str(n), {})
                cells = [str(n)]
                for v in VARIANTS:
                    r = row.get(v)
                    if r is None:
                        cells.append("–")
                    elif r["status"] != "ok":
                        cells.append(r["status"] if r["status"] == "not run" else f"**{r['status']}**")
                    else:
                        cells.append(fmt.format(max(r[key] - bases[v][key], 0.0)))
                cells.append(ratio(row.get("c"), row.get("a"), bases["c"], bases["a"], key, floor))
                cells.append(ratio_total(row.get("c"), row.get("a"), key))
                w.append("| " + " | ".join(cells) + " |")
            w.append("")
    if res["constexpr"]:
        w.append("## Gradient inside `static_assert`")
        w.append("")
        w.append("The same expression's value and gradient computed in a `constexpr` lambda and checked with")
        w.append("`static_assert` against the gradient computed by the generator (relative 1e-9), at the")
        w.append("compilers' default limits (no -fconstexpr-* or -ftemplate-depth flags). Largest N that")
        w.append("compiles: binary search over the N list (doubled past its end while the largest passes, up")
        w.append("to --cx-max), then bisection in steps of one term (4 operations). The address-space limit")
        w.append("above applies here too. Times and memory are not baseline-subtracted here.")
        w.append("")
        w.append("| compiler | largest N that compiles | its compile time | its memory | smallest failing N tried | why it fails |")
        w.append("|---|---|---|---|---|---|")
        for cxx, c in res["constexpr"].items():
            tried = c["tried"]
            okr = tried.get(str(c["largest_ok"])) if c["largest_ok"] is not None else None
            bad = tried.get(str(c["first_fail"])) if c["first_fail"] is not None else None
            why = "–"
            if bad is not None:
                why = bad["status"] + (f": `{bad['message'].replace('|', '/')}`" if bad["message"] else "")
            name = res["compilers"][cxx]["version"] if cxx in res["compilers"] else cxx
            largest = "none of the list" if c["largest_ok"] is None else str(c["largest_ok"])
            if c["first_fail"] is None and c["largest_ok"] is not None:
                largest += " (all tried passed)"
            t = f"{okr[tk]:.1f} s" if okr else "–"
            m = f"{okr['rss_mb']:.0f} MB" if okr else "–"
            ff = "–" if c["first_fail"] is None else str(c["first_fail"])
            w.append(f"| {name} | {largest} | {t} | {m} | {ff} | {why} |")
        w.append("")
    with open(args.out, "w") as f:
        f.write("\n".join(w))


def make_plots(res, args):
    os.makedirs(args.images, exist_ok=True)
    for key, unit, fname, floor in ((res["time"], "s", "compile-time.png", 0.005), ("rss_mb", "MB", "compile-memory.png", 0.5)):
        curves = []
        for cxx, d in res["compilers"].items():
            for v in VARIANTS:
                pts = [(n, net(d["runs"].get(str(n), {}).get(v), d["base"][v], key)) for n in res["n"]]
                pts = [(n, None if y is None else max(y, floor)) for n, y in pts]
                curves.append((f"{os.path.basename(cxx)} {VARIANT_LABEL[v]}", pts))
        what = "peak compiler memory" if key == "rss_mb" else f"compile time ({key})"
        plots.lines(os.path.join(args.images, fname), f"{what} minus include-only baseline (-O2)",
                    "N (operations in the expression)", f"{what} ({unit})", curves)


def version(cxx):
    try:
        return subprocess.run([cxx, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return cxx


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", default="25,50,100,200,400,800", help="comma-separated N list")
    p.add_argument("--compilers", default="g++,clang++-16", help="comma-separated; missing ones are skipped")
    p.add_argument("--include", default=os.environ.get("CTGRAD_INCLUDE_DIR", os.path.join(ROOT, "include")))
    p.add_argument("--timeout", type=float, default=300.0,
                   help="CPU seconds per compile (wall-clock limit: 3x this + 30 s)")
    p.add_argument("--mem-gb", type=float, default=6.0, help="address-space limit per compile")
    p.add_argument("--reps", type=int, default=1, help="compiles per TU (best wall time counts)")
    p.add_argument("--time", choices=("wall", "cpu"), default="cpu",
                   help="the time in the tables and plots (both are in results.json); CPU by default "
                        "because on a shared machine wall time mostly measures the other jobs")
    p.add_argument("--from-json", help="re-render the report and plots of an earlier run's results.json")
    p.add_argument("--cx-refine", type=int, default=3, help="bisection steps for the static_assert limit")
    p.add_argument("--cx-max", type=int, default=1600,
                   help="while the largest N passes in static_assert, double it up to this")
    p.add_argument("--no-constexpr", action="store_true", help="skip the static_assert search")
    p.add_argument("--no-variants", action="store_true", help="only the static_assert search")
    p.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks-compile.md"))
    p.add_argument("--images", default=os.path.join(ROOT, "docs", "images"))
    p.add_argument("--work", default=os.path.join(ROOT, "build-bench", "compile"))
    p.add_argument("--smoke", action="store_true",
                   help="N = 25 only, every variant, check that each compiles; writes no report")
    args = p.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            res = json.load(f)
        res["time"] = args.time
        write_report(res, args)
        make_plots(res, args)
        log(f"run.py: wrote {args.out}")
        return 0
    args.n = [int(x) for x in args.n.split(",") if x.strip()]
    args.include = os.path.abspath(args.include)
    compilers = [c for c in args.compilers.split(",") if c.strip()]
    found = []
    for c in compilers:
        if shutil.which(c):
            found.append(c)
        else:
            log(f"run.py: compiler '{c}' not found, skipped")
    if not found:
        log("run.py: no compiler found")
        return 1

    if args.smoke:
        failed = 0
        for cxx in found:
            for v in VARIANTS + ("cx",):
                r = measure(cxx, v, 25, args)
                log(f"{cxx} {VARIANT_LABEL[v]} N=25: {describe(r)}")
                failed += r["status"] != "ok"
        return 1 if failed else 0

    start = time.monotonic()
    res = {"n": args.n, "include": args.include, "timeout": args.timeout, "mem_gb": args.mem_gb,
           "reps": args.reps, "time": args.time, "host": f"{platform.machine()}, {os.cpu_count()} CPUs", "compilers": {},
           "constexpr": {}}
    for cxx in found:
        d = {"version": version(cxx), "base": {}, "runs": {}}
        res["compilers"][cxx] = d
        for v in VARIANTS if not args.no_variants else ():
            d["base"][v] = measure(cxx, v, None, args, reps=max(3, args.reps))
            log(f"{cxx} {VARIANT_LABEL[v]} include-only: {describe(d['base'][v])}")
        for n in args.n if not args.no_variants else ():
            row = d["runs"].setdefault(str(n), {})
            for v in VARIANTS:
                # Past a timeout or out-of-memory at a smaller N (or of (b) for (c)), larger
                # compiles only cost time.
                prev = [d["runs"][str(m)].get(v) for m in args.n if m < n and str(m) in d["runs"]]
                if prev and prev[-1] and prev[-1]["status"] in FAILED:
                    row[v] = {"status": "not run", "message": f"{prev[-1]['status']} at a smaller N"}
                    log(f"{cxx} {VARIANT_LABEL[v]} N={n}: not run ({row[v]['message']})")
                    continue
                if v == "c" and row.get("b", {}).get("status") in FAILED + ("not run",):
                    row[v] = {"status": "not run", "message": "(b) failed at this N"}
                    log(f"{cxx} {VARIANT_LABEL[v]} N={n}: not run ({row[v]['message']})")
                    continue
                row[v] = measure(cxx, v, n, args, reps=args.reps)
                log(f"{cxx} {VARIANT_LABEL[v]} N={n}: {describe(row[v])}")
        if not args.no_constexpr:
            search_constexpr(cxx, args, res)
    res["elapsed"] = time.monotonic() - start
    os.makedirs(args.work, exist_ok=True)
    with open(os.path.join(args.work, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    write_report(res, args)
    make_plots(res, args)
    log(f"run.py: wrote {args.out} ({res['elapsed'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
