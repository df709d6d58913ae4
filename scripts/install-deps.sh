#!/usr/bin/env bash
# Installs what building and testing ctgrad needs. Idempotent: on Debian/Ubuntu it installs only the
# packages that are missing, and touches apt only if something is. Elsewhere it lists the
# requirements and exits with an error.
set -euo pipefail

packages=(
  cmake              # build system, 3.20 or newer
  g++                # GCC 12 or newer
  clang-16           # the second compiler of scripts/test-all.sh
  libclang-rt-16-dev # Clang's sanitizer runtimes
  libboost1.81-dev   # Boost.Mp11 and Boost.Hana (headers only)
  catch2             # runtime tests
  doxygen            # HTML API reference, built by the test docs.doxygen (fails on any warning)
  libbenchmark-dev   # benchmarks (bench/; built and smoke-tested by scripts/test-all.sh)
  libadolc-dev       # ADOL-C, a peer in the benchmarks
  libtrilinos-sacado-dev # Sacado, a peer in the benchmarks and the reference of tests/diff
  python3            # bench/compile/run.py (compile-time benchmark), tests/diff/gen_diff.py
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps.sh: this is not a Debian/Ubuntu system (no dpkg-query/apt-get)." >&2
  echo "Install the equivalents of these Debian packages with your package manager:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  echo "(CMake >= 3.20, GCC >= 12, Clang 16 with its compiler-rt, Boost >= 1.81 with its CMake config," >&2
  echo " Catch2 2.13 or 3, Google Benchmark, ADOL-C, Trilinos Sacado, Python 3)" >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install install-deps.sh "${packages[@]}"
