#!/usr/bin/env python3
"""Regenerates the summary table of docs/errors.md from the compile-fail tests.

For every tests/fail/<name>.cpp it compiles the misuse (-DCTGRAD_FAIL) with g++ and clang++-16,
the way the test suite does, and writes one row per test: the phrase, the test, and the number
of lines each compiler prints. The suite checks those numbers (tests/fail/check.cmake), so the
table cannot drift from what the compilers say.

Usage: python3 scripts/error_table.py [--gcc g++] [--clang clang++-16]
"""
import argparse
import pathlib
import re
import subprocess

root = pathlib.Path(__file__).resolve().parent.parent
doc = root / "docs" / "errors.md"
begin, end = "<!-- error-table: begin -->", "<!-- error-table: end -->"


def lines_printed(cxx, source):
    cmd = [cxx, "-std=c++20", "-Wall", "-Wextra", "-Wpedantic", "-Werror", f"-I{root / 'include'}",
           "-fdiagnostics-color=never", "-fsyntax-only", "-DCTGRAD_FAIL", str(source)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode == 0:
        raise SystemExit(f"{source.name}: compiles with -DCTGRAD_FAIL using {cxx}")
    return (out.stdout + out.stderr).count("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gcc", default="g++")
    ap.add_argument("--clang", default="clang++-16")
    args = ap.parse_args()
    rows = ["| phrase (search for it) | test in `tests/fail/` | g++ 12 lines | clang 16 lines |",
            "|---|---|---:|---:|"]
    for source in sorted((root / "tests" / "fail").glob("*.cpp")):
        phrase = re.match(r"//\s*expect:\s*(.*\S)", source.read_text().splitlines()[0]).group(1)
        g, c = lines_printed(args.gcc, source), lines_printed(args.clang, source)
        quoted = f"`` {phrase} ``" if "`" in phrase else f"`{phrase}`"
        rows.append(f"| {quoted} | `{source.stem}` | {g} | {c} |")
    text = doc.read_text()
    i, j = text.index(begin) + len(begin), text.index(end)
    doc.write_text(text[:i] + "\n" + "\n".join(rows) + "\n" + text[j:])
    print(f"{doc}: {len(rows) - 2} rows")


if __name__ == "__main__":
    main()
