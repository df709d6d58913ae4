#!/usr/bin/env bash
# Installs what scripts/bench.sh needs beyond scripts/install-deps.sh: gnuplot for the plots in
# docs/images/ (without it bench.sh still writes the tables). Not needed by the test suite or CI.
# Idempotent: touches apt only if something is missing.
set -euo pipefail

packages=(
  gnuplot-nox # PNG plots (pngcairo terminal)
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-bench-deps.sh: not a Debian/Ubuntu system; install gnuplot (with the pngcairo terminal)." >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-bench-deps.sh: all ${#packages[@]} packages are installed."
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-bench-deps.sh: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-bench-deps.sh: installing ${missing[*]}"
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
