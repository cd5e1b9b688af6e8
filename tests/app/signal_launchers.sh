#!/usr/bin/env bash
# What the caller of a run sees when it is signalled (the README's table "Stopping a run"):
#   1. SIGTERM to mpiexec: the ranks checkpoint, but Open MPI's mpiexec aborts the job itself
#      and returns 1 (documented, not qgen's choice; the checkpoint must still be complete).
#   2. SIGTERM to jobs/default.sh: the script turns it into SIGUSR1 for the ranks: exit 3.
#   3. SIGTERM to jobs/default.pbs (what PBS Pro sends before its walltime kill), run as PBS
#      runs it (bash, PBS_O_WORKDIR, options in QGEN_ARGS) with Open MPI's mpiexec as the
#      launcher (QGEN_MPIEXEC): exit 3. No PBS server is at hand; the script's own logic runs.
# usage: signal_launchers.sh QGEN OUTDIR REPOSITORY
set -u
qgen=$1 out=$2 repo=$3
mkdir -p "$out" && cd "$out" && rm -f ln-* ln.* .ln-*
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
args=(data.events=20000 train.steps=100000 samples=0 --quiet)

# Waits until the run's log shows 3 steps, then sends signal $2 to process $1 and returns the
# run's exit code.
signal_after_steps() {
  local pid=$1 signal=$2 log=$3
  local n
  for _ in $(seq 600); do
    n=$(grep -c '^step' "$log" 2>/dev/null); [ "${n:-0}" -ge 3 ] && break
    sleep 0.05
  done
  kill "-$signal" "$pid" || { echo "the run ended before the signal"; exit 1; }
  wait "$pid"
}

# The checkpoint $1 opens in h5py and holds a step past the start.
checkpoint_complete() {
  /usr/bin/python3 - "$1" <<'PY'
import sys, h5py
with h5py.File(sys.argv[1]) as f:
    step = int(f.attrs["iteration"])
    assert step > 0 and len(f["history/loss"]) == step + 1, (step, len(f["history/loss"]))
print(sys.argv[1], "holds step", step)
PY
}

# 1. SIGTERM to mpiexec.
mpiexec -n 2 --oversubscribe "$qgen" train --config "$repo/inputs/default.ini" "${args[@]}" \
  results=ln-m-r.h5 checkpoint=ln-m-c.h5 log=ln.m.log > ln.m.out 2>&1 &
signal_after_steps $! TERM ln.m.log; code=$?
cat ln.m.out
[ "$code" -eq 1 ] || { echo "SIGTERM to mpiexec: exit $code; the README says Open MPI returns 1"; exit 1; }
checkpoint_complete ln-m-c.h5 || { echo "no complete checkpoint after SIGTERM to mpiexec"; exit 1; }

# 2. SIGTERM to jobs/default.sh (it runs mpiexec in its own process group).
QGEN_BIN=$qgen bash "$repo/jobs/default.sh" "${args[@]}" results="$PWD/ln-d-r.h5" \
  checkpoint="$PWD/ln-d-c.h5" log="$PWD/ln.d.log" > ln.d.out 2>&1 &
signal_after_steps $! TERM ln.d.log; code=$?
cat ln.d.out
[ "$code" -eq 3 ] || { echo "SIGTERM to jobs/default.sh: exit $code, expected 3"; exit 1; }
checkpoint_complete ln-d-c.h5 || { echo "no complete checkpoint after SIGTERM to default.sh"; exit 1; }

# 3. SIGTERM to jobs/default.pbs.
PBS_O_WORKDIR=$repo PBS_JOBID=1.test QGEN_BIN=$qgen QGEN_MPIEXEC="mpiexec --oversubscribe -n 2" \
  QGEN_ARGS="${args[*]} results=$PWD/ln-p-r.h5 checkpoint=$PWD/ln-p-c.h5 log=$PWD/ln.p.log" \
  bash "$repo/jobs/default.pbs" > ln.p.out 2>&1 &
signal_after_steps $! TERM ln.p.log; code=$?
cat ln.p.out
[ "$code" -eq 3 ] || { echo "SIGTERM to jobs/default.pbs: exit $code, expected 3"; exit 1; }
grep -q "qgen pbs: job 1.test, 2 ranks" ln.p.out || { echo "default.pbs did not report its job"; exit 1; }
checkpoint_complete ln-p-c.h5 || { echo "no complete checkpoint after SIGTERM to default.pbs"; exit 1; }
echo "mpiexec: 1 with the checkpoint written; jobs/default.sh and jobs/default.pbs: 3"
