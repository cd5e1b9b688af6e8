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

if [ ! -x /usr/sbin/slurmctld ]; then
  [ "${CI:-}" = true ] && { echo "slurm-wlm is not installed (tools/install-deps.sh)"; exit 1; }
  echo "slurm-wlm is not installed: skipped"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
trap 'bash "$source_dir/tools/slurm-local.sh" stop "$work/slurm"' EXIT
slurm_env=$(bash "$source_dir/tools/slurm-local.sh" start "$work/slurm") || exit 1
eval "$slurm_env"  # export SLURM_CONF=...: never a system Slurm
export QGEN_BIN=$qgen OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "$source_dir"

field() { scontrol show job "$1" | grep -o "$2=[^ ]*" | head -1 | cut -d= -f2; }
wait_until() {  # wait_until SECONDS COMMAND...: polls every 0.2 s
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
finished() { case "$(field "$1" JobState)" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL) return 0;; esac; return 1; }
fail() { echo "FAILED: $*"; for f in "$work"/*.out; do echo "--- $f"; cat "$f"; done; exit 1; }

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
