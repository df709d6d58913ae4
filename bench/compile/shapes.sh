#!/usr/bin/env bash
# Compile cost of the two expression shapes of the "Graph v2" targets, value + gradient, with
# g++ -O2 (CPU time and peak RSS of one compile at a time), for each include directory given.
#   chain: one left-deep expression of K operations over 4 leaves, the operations in turn
#          e + v, v / e, e * v, e / v, sin(e) with v = x[k % 4]
#   sum:   the sum over k < K/4 of x[k%4] * x[(k+1)%4] + sin(x[(k+2)%4])
# plus the plain double function of each shape and the include-only baseline, all compiled in a
# translation unit that includes ctgrad.
# usage: bash bench/compile/shapes.sh "200 400 800" DIR [DIR2 ...]   (prints a Markdown table)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ks=$1; shift
cxx=${CXX:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() {  # measure <include dir> <source>: "seconds MiB"
  /usr/bin/time -f "%U %S %M" -o "$work/t" "$cxx" -std=c++20 -O2 -I"$1" -c "$2" -o /dev/null
  awk '{printf "%.2f s / %d MiB", $1 + $2, $3 / 1024}' "$work/t"
}
echo "| compiler | include dir | shape | K | plain double | ctgrad value + gradient |"
echo "|---|---|---|---|---|---|"
for dir in "$@"; do
  python3 "$here/gen_shapes.py" 0 chain inc > "$work/inc.cpp"
  echo "| $cxx | $dir | include only | | $(measure "$dir" "$work/inc.cpp") | |"
  for shape in chain sum; do
    for k in $ks; do
      python3 "$here/gen_shapes.py" "$k" "$shape" a > "$work/a.cpp"
      python3 "$here/gen_shapes.py" "$k" "$shape" c > "$work/c.cpp"
      echo "| $cxx | $dir | $shape | $k | $(measure "$dir" "$work/a.cpp") | $(measure "$dir" "$work/c.cpp") |"
    done
  done
done
