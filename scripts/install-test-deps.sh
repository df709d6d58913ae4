#!/usr/bin/env bash
# Installs what the test suite (scripts/test-all.sh) needs beyond scripts/install-deps.sh: the
# second compiler and its sanitizer runtimes, Catch2, doxygen, and the benchmarks' library and peers
# (the suite builds and smoke-tests the benchmarks). Idempotent, like install-deps.sh.
set -euo pipefail

packages=(
  clang-16           # the second compiler of scripts/test-all.sh
  libclang-rt-16-dev # Clang's sanitizer runtimes
  catch2             # runtime tests
  doxygen            # HTML API reference, built by the test docs.doxygen (fails on any warning)
  libbenchmark-dev   # benchmarks (bench/; built and smoke-tested by scripts/test-all.sh)
  libadolc-dev       # ADOL-C, a peer in the benchmarks
  libtrilinos-sacado-dev # Sacado, a peer in the benchmarks and the reference of tests/diff
  python3            # bench/compile/run.py (compile-time benchmark), tests/diff/gen_diff.py
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps.sh: this is not a Debian/Ubuntu system (no dpkg-query/apt-get)." >&2
  echo "Install the equivalents of these Debian packages with your package manager:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  echo "(Clang 16 with its compiler-rt, Catch2 2.13 or 3, doxygen, Google Benchmark, ADOL-C," >&2
  echo " Trilinos Sacado, Python 3)" >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install install-test-deps.sh "${packages[@]}"
