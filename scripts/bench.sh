#!/usr/bin/env bash
# Runs all of ctgrad's benchmarks and writes their reports and plots:
#  - run time: builds bench/runtime_{scalar,tensor,dyn} with -O2 -DNDEBUG under g++ and clang++-16,
#    runs them (5 repetitions, randomly interleaved, so drift hits every implementation alike) and
#    writes docs/benchmarks.md (tables from bench/report.py, analysis from bench/notes.md) and
#    docs/images/runtime-<compiler>.png;
#  - compile time: bench/compile/run.py writes docs/benchmarks-compile.md and
#    docs/images/compile-{time,memory}.png.
#
#   bash scripts/bench.sh
#
# Needs libbenchmark-dev and python3; ADOL-C (libadolc-dev) and Sacado (libtrilinos-sacado-dev) are
# benchmarked when installed; the plots need gnuplot (scripts/install-bench-deps.sh) and are skipped
# without it. Environment overrides: CTGRAD_BENCH_PARTS (default "runtime compile"),
# CTGRAD_BENCH_COMPILERS (default "g++ clang++-16"; missing ones are skipped), CTGRAD_BENCH_DIR
# (build directories' parent, default build-bench), CTGRAD_BENCH_REPS (default 5),
# CTGRAD_BENCH_MIN_TIME (seconds per repetition, default 0.2), CTGRAD_BENCH_OUT (default
# docs/benchmarks.md), CTGRAD_BENCH_COMPILE_ARGS (extra arguments of bench/compile/run.py, e.g.
# "--n 25,50,100 --timeout 120"; see its --help), CTGRAD_INCLUDE_DIR (ctgrad headers the compile
# benchmark uses, default include/).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

compilers=${CTGRAD_BENCH_COMPILERS:-g++ clang++-16}
parent=${CTGRAD_BENCH_DIR:-build-bench}
reps=${CTGRAD_BENCH_REPS:-5}
min_time=${CTGRAD_BENCH_MIN_TIME:-0.2}
out=${CTGRAD_BENCH_OUT:-docs/benchmarks.md}
parts=${CTGRAD_BENCH_PARTS:-runtime compile}
jobs=$(nproc 2>/dev/null || echo 2)
benches="runtime_scalar runtime_tensor runtime_dyn"

if [[ " $parts " == *" runtime "* ]]; then
  report_args=()
  for c in $compilers; do
    if ! cxx=$(command -v "$c"); then
      echo "bench.sh: compiler '$c' not found, skipped" >&2
      continue
    fi
    dir=$parent/$(basename "$cxx")
    # A build directory configured with another compiler cannot be reused.
    if [[ -f $dir/CMakeCache.txt ]] && ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$cxx" "$dir/CMakeCache.txt"; then
      rm -rf "$dir"
    fi
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
          -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DCTGRAD_BUILD_BENCH=ON -DBUILD_TESTING=OFF
    cmake --build "$dir" --target $benches -j "$jobs"
    report_args+=(--compiler "$("$cxx" --version | head -n 1)")
    for b in $benches; do
      "$dir/bench/$b" --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
                      --benchmark_min_time="$min_time" \
                      --benchmark_out="$dir/$b.json" --benchmark_out_format=json
      report_args+=("$dir/$b.json")
    done
  done

  if [[ ${#report_args[@]} -eq 0 ]]; then
    echo "bench.sh: no compiler found" >&2
    exit 1
  fi
  python3 bench/report.py "$out" "bash scripts/bench.sh" --images docs/images "${report_args[@]}" >/dev/null
  echo "bench.sh: wrote $out"
fi

if [[ " $parts " == *" compile "* ]]; then
  read -r -a compile_args <<<"${CTGRAD_BENCH_COMPILE_ARGS:-}"
  python3 bench/compile/run.py --compilers "$(echo $compilers | tr ' ' ',')" \
          --work "$parent/compile" "${compile_args[@]}"
fi
