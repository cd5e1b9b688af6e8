#!/usr/bin/env bash
# The sanitizer build (CMake preset `asan`: clang, AddressSanitizer + UndefinedBehaviorSanitizer,
# libFuzzer targets) and what runs in it. After tools/install-deps.sh, from anywhere:
#
#   bash tools/sanitize.sh test        unit tests, two MPI tests on 2 ranks and a 5-second fuzz
#                                      pass per parser (what `tools/setup.sh test` and CI run)
#   bash tools/sanitize.sh fuzz [N [TARGET ...]]
#                                      N executions (default 10^6) of every fuzz target (or of the
#                                      named ones, e.g. fuzz_csv), printing executions, time, rate
#                                      and coverage per target
#
# Only the targets these need are built (not the executable, the benchmarks or the MPI tests
# that run the whole trainer on 3 ranks), which keeps the sanitizer build a few minutes in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
if [ "$mode" != test ] && [ "$mode" != fuzz ]; then
  echo "usage: bash tools/sanitize.sh test | fuzz [executions]" >&2
  exit 2
fi

unit_tests=(test_core test_circuits test_data test_eval test_hw test_qinn test_sim test_train test_lcd_sweep
            test_step_cost_model test_study_runs)
mpi_tests=(test_core_parallel test_mpi_training test_hw_lcd test_mpi_lcd test_mpi_group_training)
fuzz_targets=(fuzz_csv fuzz_lhe fuzz_options fuzz_hdf5_table fuzz_checkpoint fuzz_device)

cmake --preset asan >/dev/null
targets=("${fuzz_targets[@]}")
[ "$mode" = fuzz ] && [ $# -gt 2 ] && targets=("${@:3}")
[ "$mode" = test ] && targets+=("${unit_tests[@]}" "${mpi_tests[@]}")
build_status=0
cmake --build --preset asan -j "$(nproc)" --target "${targets[@]}" 2>&1 \
  | { grep -v -E '^\[ *[0-9]+%\]' || true; } || build_status=$?
if [ "$build_status" -ne 0 ]; then echo "sanitizer build failed" >&2; exit 1; fi

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
case "$mode" in
  test)
    # Unit tests (every GoogleTest case of the unit suites), then one MPI test of the core,
    # the trainer's, the rank groups' and the LCD's bit-for-bit tests on 2 ranks, the LCD pieces on one rank, then the fuzz targets' regression inputs and a
    # short pass from their seed corpora.
    ctest --preset asan -j "$(nproc)" -LE "cli|slurm|layering|mpi|fuzz"
    ctest --preset asan -R "^((test_core_parallel|test_mpi_training|test_mpi_lcd|test_mpi_group_training)_np2|test_hw_lcd_np1)$"
    ctest --preset asan -L fuzz
    ;;
  fuzz)
    runs=${2:-1000000}
    [ $# -gt 2 ] && fuzz_targets=("${@:3}")
    for target in "${fuzz_targets[@]}"; do
      name=${target#fuzz_}
      scratch=build/asan/tests/fuzz/long-$name
      bash tests/fuzz/run_fuzz.sh "build/asan/tests/fuzz/$target" "tests/fuzz/corpus/$name" \
        "tests/fuzz/regressions/$name" "$scratch" "-runs=$runs" > /dev/null \
        || { echo "$target: finding, see $scratch" >&2; exit 1; }
      # libFuzzer's closing lines: "#N DONE cov: C ft: F ..." and "Done N runs in S second(s)".
      awk -v t="$target" '/DONE +cov:/ {cov = $4; ft = $6}
        /^Done [0-9]+ runs in/ {runs = $2; s = $5}
        /^stat::average_exec_per_sec:/ {rate = $2}
        END {printf "%-18s %9d runs  %6d s  %6d exec/s  coverage %s edges, %s features\n", t, runs, s, rate, cov, ft}' \
        "$scratch/fuzz.log"
    done
    ;;
esac
