#!/usr/bin/env python3
"""Ratios of medians for the run-time-length problems (Google Benchmark JSON files of
bench/runtime_dyn run with --benchmark_repetitions and random interleaving): per problem and
implementation the median CPU time and the ratio of medians to the vectorized hand-written
adjoint (`hand_simd`), with the spread of the per-repetition ratios (min-max).

usage: simd_ratios.py "COMPILER" JSON ["COMPILER" JSON ...]
"""
import json
import statistics
import sys
from collections import defaultdict


def table(label, path):
    with open(path) as f:
        data = json.load(f)
    t = defaultdict(list)
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        t[b["run_name"]].append(b["cpu_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]])
    probs = []
    for name in t:
        p = name.split("/")[0]
        if p not in probs:
            probs.append(p)
    print(f"\n{label}\n")
    print("| problem | implementation | median CPU time | ratio to vectorized hand-written adjoint (spread) |")
    print("|---|---|---|---|")
    for p in probs:
        base = t.get(p + "/hand_simd")
        for name, v in t.items():
            if not name.startswith(p + "/"):
                continue
            med = statistics.median(v)
            if base:
                r = med / statistics.median(base)
                per = [a / b for a, b in zip(v, base)]
                ratio = f"{r:.2f} ({min(per):.2f}-{max(per):.2f})"
            else:
                ratio = "-"
            unit = f"{med / 1e3:.1f} µs" if med >= 1e3 else f"{med:.0f} ns"
            print(f"| `{p}` | {name.split('/', 1)[1]} | {unit} | {ratio} |")


args = sys.argv[1:]
for i in range(0, len(args), 2):
    table(args[i], args[i + 1])
