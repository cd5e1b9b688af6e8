#!/usr/bin/env bash
# run_fuzz.sh TARGET CORPUS REGRESSIONS SCRATCH SECONDS|-runs=N
# Replays every regression input, then fuzzes from the seed corpus (new inputs go to SCRATCH,
# never into the repository) for SECONDS, or for N executions with -runs=N. A finding is saved
# as SCRATCH/crash-* and fails the run: copy it into REGRESSIONS once fixed.
set -u
target=$1 corpus=$2 regressions=$3 scratch=$4 budget=$5
rm -rf "$scratch" && mkdir -p "$scratch/corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
common=(-rss_limit_mb=2048 -timeout=20 -artifact_prefix="$scratch/" -print_final_stats=1)
if compgen -G "$regressions/*" > /dev/null; then
  "$target" "${common[@]}" "$regressions"/* > "$scratch/regressions.log" 2>&1 ||
    { cat "$scratch/regressions.log"; echo "a regression input fails again"; exit 1; }
  echo "regression inputs: $(ls "$regressions" | wc -l) replayed cleanly"
fi
case "$budget" in
  -runs=*) limit=("$budget") ;;
  *) limit=(-max_total_time="$budget") ;;
esac
"$target" "${common[@]}" "${limit[@]}" "$scratch/corpus" "$corpus" > "$scratch/fuzz.log" 2>&1
code=$?
grep -E "^stat::|Done [0-9]+ runs" "$scratch/fuzz.log"
if [ $code -ne 0 ]; then tail -40 "$scratch/fuzz.log"; echo "finding saved in $scratch"; exit 1; fi
