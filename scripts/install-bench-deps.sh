#!/usr/bin/env bash
# Installs what scripts/bench.sh needs beyond scripts/install-deps.sh: gnuplot for the plots in
# docs/images/ (without it bench.sh still writes the tables), and xsimd for the comparison of the
# SIMD math kernels (bench/pack_math_vs_xsimd, built only when xsimd is found). Not needed by the
# test suite or CI.
# Idempotent: touches apt only if something is missing.
set -euo pipefail

packages=(
  gnuplot-nox # PNG plots (pngcairo terminal)
  libxsimd-dev # bench/pack_math_vs_xsimd: ctgrad's pack kernels against xsimd's (docs/design.md)
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-bench-deps.sh: not a Debian/Ubuntu system; install gnuplot (with the pngcairo terminal)." >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install install-bench-deps.sh "${packages[@]}"
