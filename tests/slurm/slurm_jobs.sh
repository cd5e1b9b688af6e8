#!/usr/bin/env bash
# The Slurm scripts in jobs/, run for real on a local single-node Slurm (tools/slurm-local.sh):
#   1. jobs/default.sbatch runs the default training (fewer steps) and exits 0 with its results;
#   2. jobs/default.sbatch, stopped with scancel --signal=TERM mid-run, checkpoints, writes its
#      results and ends with exit code 3 (ExitCode=3:0), as the README says;
#   3. jobs/restart-chain.sbatch, sent the time-limit signal mid-run (scancel --batch
#      --signal=USR1, what --signal=B:USR1 does at the limit), forwards it to the ranks, which
#      checkpoint and exit 3; the job requeues itself, resumes from the checkpoint and finishes
#      with the history of job 1, bit for bit.
# usage: slurm_jobs.sh SOURCE_DIR QGEN WORK_DIR. Exit 77 (skipped) where Slurm is not installed,
# except under CI, where it must be.
set -uo pipefail
source_dir=$1 qgen=$2 work=$3

# Starts the local Slurm (stopped on exit) and defines field, wait_until, finished and fail.
source "$source_dir/tests/slurm/local_slurm.sh"

steps=300
common=(train.steps=$steps samples=1000 checkpoint-every=0 --quiet)

# 1. The default job.
job=$(sbatch --parsable -o "$work/default-%j.out" jobs/default.sbatch "${common[@]}" \
      results="$work/default.h5" checkpoint="$work/default-checkpoint.h5") || fail "sbatch default"
wait_until 120 finished "$job" || fail "the default job did not finish"
[ "$(field "$job" JobState)" = COMPLETED ] && [ "$(field "$job" ExitCode)" = 0:0 ] ||
  fail "default job: $(field "$job" JobState), exit $(field "$job" ExitCode)"
[ -f "$work/default.h5" ] || fail "the default job wrote no results"
echo "default.sbatch: completed, results written"

# 2. The default job stopped from outside (scancel --signal=TERM signals the tasks, as Slurm
#    does at a time limit): the ranks checkpoint and write their results, srun and the job exit 3.
job=$(sbatch --parsable -o "$work/stopped-%j.out" jobs/default.sbatch train.steps=100000 samples=100 \
      checkpoint-every=0 --quiet results="$work/stopped.h5" checkpoint="$work/stopped-checkpoint.h5" \
      log="$work/stopped.log") || fail "sbatch stopped"
started() { local n; n=$(grep -c '^step' "$work/stopped.log" 2>/dev/null); [ "${n:-0}" -ge 20 ]; }
wait_until 120 started || fail "the job to be stopped made no progress"
scancel --signal=TERM "$job" || fail "scancel --signal=TERM"
wait_until 60 finished "$job" || fail "the signalled job did not end"
[ "$(field "$job" ExitCode)" = 3:0 ] || fail "signalled job: $(field "$job" JobState), exit $(field "$job" ExitCode), expected 3:0"
[ -f "$work/stopped-checkpoint.h5" ] && [ -f "$work/stopped.h5" ] || fail "the signalled job left no checkpoint or results"
/usr/bin/python3 -c "import h5py, sys; sys.exit(h5py.File('$work/stopped.h5').attrs['stopped'] != 'signal')" ||
  fail "the signalled job's results do not say it was stopped by a signal"
echo "default.sbatch stopped by scancel --signal=TERM: checkpoint and results written, exit code 3"

# 3. The restart chain, signalled after about a third of the steps.
job=$(sbatch --parsable -o "$work/chain-%j.out" --export=ALL,QGEN_CONFIG=inputs/default.ini,QGEN_CHECKPOINT="$work/chain-checkpoint.h5" \
      jobs/restart-chain.sbatch "${common[@]}" results="$work/chain.h5" log="$work/chain.log") ||
  fail "sbatch chain"
progress() { local n; n=$(grep -c '^step' "$work/chain.log" 2>/dev/null); [ "${n:-0}" -ge $((steps / 3)) ]; }
wait_until 120 progress || fail "the chain made no progress"
scancel --batch --signal=USR1 "$job" || fail "scancel --signal"
requeued() { [ "$(field "$job" Restarts)" = 1 ]; }
wait_until 60 requeued || fail "the chain did not requeue itself (state $(field "$job" JobState))"
# It starts again once its credentials expire (10 s with tools/slurm-local.sh).
wait_until 180 finished "$job" || fail "the requeued chain did not finish"
[ "$(field "$job" JobState)" = COMPLETED ] && [ "$(field "$job" ExitCode)" = 0:0 ] ||
  fail "chain: $(field "$job" JobState), exit $(field "$job" ExitCode)"
out=$(cat "$work"/chain-*.out)
grep -q "stopped at the time limit with a checkpoint; requeueing" <<<"$out" || fail "no requeue message"
grep -q "restart count 1, --restart" <<<"$out" || fail "the second run did not restart from the checkpoint"
echo "restart-chain.sbatch: signalled, checkpointed, requeued, resumed, completed"

/usr/bin/python3 - "$work" <<'PY' || fail "histories differ"
import sys, h5py
work = sys.argv[1]
with h5py.File(f"{work}/default.h5") as whole, h5py.File(f"{work}/chain.h5") as chain:
    for name in ("step", "loss", "grad_norm", "evaluations"):
        assert (whole["history"][name][:] == chain["history"][name][:]).all(), name
    assert (whole["params"][:] == chain["params"][:]).all(), "params"
    print(f"the chain's {len(chain['history/step'])} history entries and parameters equal the "
          "uninterrupted run's bit for bit")
PY

# 4. A job array over a parameter list (jobs/array.sbatch, tools/param-grid.py): every task
#    trains its line, output names carry %A_%a; resubmitted, every task skips its finished run;
#    a task without a line, and the script submitted without --array, exit 2 with one message.
tools/param-grid.py --ansatz 1,2 --initial-state zero --layers-1 1 --layers-2 2 --seeds 1,2 \
  --extra "circuit.qubits=4 encoding.features=pT,mass data.events=20000 train.steps=10 samples=0 --quiet" \
  > "$work/runs.list" 2>/dev/null || fail "param-grid"
[ "$(grep -vc '^#' "$work/runs.list")" = 4 ] || fail "param-grid: expected 4 runs"
array_env=ALL,QGEN_OUT="$work/array"
array_done() { local t; for t in 0 1 2 3; do finished "${1}_$t" || return 1; done; }
job=$(sbatch --parsable --array=0-3%2 -o "$work/array-%A_%a.out" --export="$array_env" jobs/array.sbatch "$work/runs.list") ||
  fail "sbatch array"
wait_until 180 array_done "$job" || fail "the array did not finish"
for t in 0 1 2 3; do
  [ "$(field "${job}_$t" ExitCode)" = 0:0 ] || fail "array task $t: exit $(field "${job}_$t" ExitCode)"
  [ -f "$work/array/task-$t.h5" ] && [ -f "$work/array-${job}_$t.out" ] || fail "array task $t wrote no results or output"
done
/usr/bin/python3 - "$work" <<'PY' || fail "the array's results do not hold their lines' options"
import sys, h5py
work = sys.argv[1]
lines = [l.split() for l in open(f"{work}/runs.list") if not l.startswith("#")]
for t, words in enumerate(lines):
    config = h5py.File(f"{work}/array/task-{t}.h5")["config"][()].decode()
    for word in words[:4]:  # ansatz, initial state, depth, seed
        key, value = word.split("=")
        section, name = key.split(".")
        assert f"{name} = {value}" in config.split(f"[{section}]")[1].split("[")[0], (t, word)
print("array: 4 tasks trained their own lines")
PY
job=$(sbatch --parsable --array=0-4 -o "$work/again-%A_%a.out" --export="$array_env" jobs/array.sbatch "$work/runs.list") ||
  fail "sbatch array again"
again_done() { local t; for t in 0 1 2 3 4; do finished "${job}_$t" || return 1; done; }
wait_until 120 again_done || fail "the resubmitted array did not finish"
for t in 0 1 2 3; do
  grep -q "task $t already finished" "$work/again-${job}_$t.out" || fail "resubmitted task $t did not skip its finished run"
done
[ "$(field "${job}_4" ExitCode)" = 2:0 ] && grep -q "task 4 has no line" "$work/again-${job}_4.out" ||
  fail "a task without a line: exit $(field "${job}_4" ExitCode)"
job=$(sbatch --parsable -o "$work/plain-%j.out" jobs/array.sbatch "$work/runs.list") || fail "sbatch plain"
wait_until 60 finished "$job" || fail "the plain submission did not end"
[ "$(field "$job" ExitCode)" = 2:0 ] && grep -q "SLURM_ARRAY_TASK_ID is not set" "$work/plain-$job.out" ||
  fail "array.sbatch without --array: exit $(field "$job" ExitCode)"
echo "array.sbatch: 4 tasks, skipped when resubmitted; missing line and missing --array refused"

# 5. Strong and weak scaling in one allocation (jobs/scaling.sbatch): one run per rank count,
#    one table.
for mode in strong weak; do
  job=$(sbatch --parsable -n 2 -o "$work/scaling-$mode-%j.out" \
        --export=ALL,QGEN_SCALING=$mode,QGEN_RANK_LIST="1 2",QGEN_STEPS=8,QGEN_CONFIG=inputs/default.ini,QGEN_OUT="$work/scaling-$mode" \
        jobs/scaling.sbatch data.events=20000) || fail "sbatch scaling $mode"
  wait_until 180 finished "$job" || fail "the $mode scaling job did not finish"
  [ "$(field "$job" ExitCode)" = 0:0 ] || fail "$mode scaling: exit $(field "$job" ExitCode)"
  /usr/bin/python3 - "$work/scaling-$mode/scaling.tsv" "$mode" <<'PY' || fail "$mode scaling table"
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
assert [r[0] for r in rows] == ["1", "2"], rows
parameters = [int(r[1]) for r in rows]
# Weak scaling doubles the depth with the ranks (ansatz 2: 24 parameters per layer on top of its
# first Rot layer's 24, so 72 -> 120); strong keeps the circuit.
assert (parameters[1] > 1.5 * parameters[0]) if sys.argv[2] == "weak" else parameters[1] == parameters[0], parameters
assert all(float(r[2]) > 0 and 0 < float(r[4]) < 2 for r in rows), rows
print(sys.argv[2], "scaling table:", rows)
PY
done
echo "scaling.sbatch: strong and weak tables written"
