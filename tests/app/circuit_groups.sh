#!/usr/bin/env bash
# circuit_groups.sh QGEN MPIEXEC-AND-FLAGS... -- CIRCUIT-WORDS...
# Runs `qgen circuit` on one rank and on groups (2 ranks S = 2; 4 ranks S = 1, 2, 4) and passes
# when every summary equals the single-rank one: the same lines, the groups and time lines
# aside, and the totals within 1e-12 (the sums are added per rank, then over the ranks).
set -u
qgen=$1; shift
launcher=()
while [ "$1" != "--" ]; do launcher+=("$1"); shift; done
shift
words=("$@")
out=$(mktemp); trap 'rm -f "$out"' EXIT
run() {  # ranks, group size
  "${launcher[@]}" "$1" "$qgen" circuit --group-size "$2" "${words[@]}" > "$out" 2>&1 || {
    cat "$out"; echo "circuit_groups.sh: $1 ranks, S = $2 failed" >&2; exit 1; }
}
run 1 1
reference=$(grep -v -e '^  groups ' -e '^  time ' -e ' total ' "$out")
reference_total=$(awk '/ total /{print $2}' "$out")
echo "$reference"
for case in "2 2" "4 1" "4 2" "4 4"; do
  set -- $case
  run "$1" "$2"
  if [ "$2" -gt 1 ] && ! grep -q -E "^  groups +$(($1 / $2)) of $2 ranks \(group 0 ran it\), .* exchanges" "$out"; then
    cat "$out"; echo "circuit_groups.sh: $1 ranks, S = $2: no groups line" >&2; exit 1
  fi
  if ! grep -q -E "^  time +[0-9.]+ s to simulate" "$out"; then
    cat "$out"; echo "circuit_groups.sh: $1 ranks, S = $2: no time line" >&2; exit 1
  fi
  if ! diff <(echo "$reference") <(grep -v -e '^  groups ' -e '^  time ' -e ' total ' "$out"); then
    echo "circuit_groups.sh: $1 ranks, S = $2 differs from one rank" >&2; exit 1
  fi
  total=$(awk '/ total /{print $2}' "$out")
  awk -v a="$reference_total" -v b="$total" 'BEGIN { d = a - b; exit !(d < 1e-12 && d > -1e-12) }' || {
    echo "circuit_groups.sh: $1 ranks, S = $2: total $total, one rank $reference_total" >&2; exit 1; }
  echo "$1 ranks, S = $2: same summary"
done
