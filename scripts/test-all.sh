#!/usr/bin/env bash
# Configures, builds and runs the whole test suite twice: with GCC (g++) in build-ci/gcc and with
# Clang 16 (clang++-16) in build-ci/clang. Exits non-zero if either run fails.
#
# Environment overrides: CTGRAD_GCC, CTGRAD_CLANG (compilers), CTGRAD_BUILD_TYPE (default Release),
# CTGRAD_CMAKE_ARGS (extra configure arguments, split on spaces).
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

jobs=$(nproc 2>/dev/null || echo 2)
build_type=${CTGRAD_BUILD_TYPE:-Release}
if command -v ninja >/dev/null 2>&1; then
  generator=Ninja
else
  generator="Unix Makefiles"
fi
read -r -a extra_args <<<"${CTGRAD_CMAKE_ARGS:-}"

# run_suite <name> <c++ compiler>: configure, build and test in build-ci/<name>.
run_suite() {
  local name=$1 cxx=$2 dir=build-ci/$1
  if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "test-all.sh: compiler '$cxx' not found (run scripts/install-test-deps.sh)" >&2
    return 1
  fi
  # A build directory made with another generator cannot be reused.
  if [[ -f $dir/CMakeCache.txt ]] &&
     ! grep -qx "CMAKE_GENERATOR:INTERNAL=$generator" "$dir/CMakeCache.txt"; then
    rm -rf "$dir"
  fi
  cmake -S . -B "$dir" -G "$generator" \
        -DCMAKE_BUILD_TYPE="$build_type" \
        -DCMAKE_CXX_COMPILER="$cxx" \
        -DCTGRAD_BUILD_BENCH=ON \
        "${extra_args[@]}" &&
    cmake --build "$dir" -j "$jobs" &&
    (cd "$dir" && ctest --output-on-failure -j "$jobs")
}

status=0
summary=()
for entry in "gcc:${CTGRAD_GCC:-g++}" "clang:${CTGRAD_CLANG:-clang++-16}"; do
  name=${entry%%:*}
  cxx=${entry#*:}
  echo "=== $name ($cxx, $build_type, $generator) ==="
  start=$SECONDS
  if run_suite "$name" "$cxx"; then
    result=passed
  else
    result=FAILED
    status=1
  fi
  elapsed=$((SECONDS - start))
  summary+=("$(printf '%-6s %-7s %4ds' "$name" "$result" "$elapsed")")
  echo "=== $name: $result in ${elapsed}s ==="
done

echo "=== summary ==="
printf '%s\n' "${summary[@]}"
exit $status
