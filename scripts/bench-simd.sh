#!/usr/bin/env bash
# The SIMD benchmark of docs/benchmarks.md ("Vectorized elementwise math"): normal_lpdf
# (N = 100,000) and logsumexp (N = 10,000) from bench/runtime_dyn, built at -O3 -march=native with
# g++ and clang++-16 (one binary per compiler), repetitions randomly interleaved, ratios of medians
# to the vectorized hand-written adjoint (libmvec) printed by bench/simd_ratios.py.
#
#   bash scripts/bench-simd.sh            # CTGRAD_BENCH_REPS (default 15), CTGRAD_BENCH_MIN_TIME (0.2)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
reps=${CTGRAD_BENCH_REPS:-15}
min_time=${CTGRAD_BENCH_MIN_TIME:-0.2}
filter='normal_lpdf_100000|logsumexp_10000'
args=()
for c in g++ clang++-16; do
  dir=build-bench-native/$c
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$c" \
        -DCMAKE_CXX_FLAGS="-march=native" -DCMAKE_CXX_FLAGS_RELEASE="-O3 -DNDEBUG" \
        -DCTGRAD_BUILD_BENCH=ON -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$dir" --target runtime_dyn -j 2
  "$dir/bench/runtime_dyn" --benchmark_filter="$filter" --benchmark_repetitions="$reps" \
      --benchmark_enable_random_interleaving=true --benchmark_min_time="$min_time" \
      --benchmark_out="$dir/simd.json" --benchmark_out_format=json >/dev/null
  args+=("$("$c" --version | head -n 1), -O3 -march=native" "$dir/simd.json")
done
python3 bench/simd_ratios.py "${args[@]}"
