#!/usr/bin/env bash
# Installs what building ctgrad's examples needs: a compiler, CMake and Boost's headers (the test
# suite's own dependencies come with scripts/install-test-deps.sh). Idempotent: on Debian/Ubuntu it
# installs only the packages that are missing, and touches apt only if something is. Elsewhere it
# lists the requirements and exits with an error.
set -euo pipefail

packages=(
  cmake              # build system, 3.20 or newer
  g++                # GCC 12 or newer
  libboost1.81-dev   # Boost.Mp11 and Boost.Hana (headers only)
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps.sh: this is not a Debian/Ubuntu system (no dpkg-query/apt-get)." >&2
  echo "Install the equivalents of these Debian packages with your package manager:" >&2
  printf '  %s\n' "${packages[@]}" >&2
  echo "(CMake >= 3.20, GCC >= 12, Boost >= 1.81 with its CMake config)" >&2
  exit 1
fi

source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install install-deps.sh "${packages[@]}"
