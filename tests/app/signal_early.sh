#!/usr/bin/env bash
# Signals outside the training loop (issue 9): qgen train installs its handlers before any work.
#   1. SIGUSR1 while the data are generated: every rank stops at the first safe point, exit 3,
#      "nothing written", no results or checkpoint file and no temporary.
#   2. SIGUSR1 while the final results are written: the write completes, exit 0, the results
#      open in h5py and say the run completed.
# usage: signal_early.sh QGEN OUTDIR
set -u
qgen=$1 out=$2
mkdir -p "$out" && cd "$out" && rm -f early-* early.* late-* late.* .early-* .late-*  # late.log of an earlier run would end the poll below at once
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
base=(data.generate=dijet encoding.features=pT,mass circuit.qubits=4 circuit.depth=1 --quiet)

# The qgen ranks below mpiexec `$1` have their SIGUSR1 handler installed (SigCgt, bit 10).
handlers_installed() {
  local pids n=0 p mask
  pids=$(pgrep -P "$1" -x qgen) || return 1
  for p in $pids; do
    mask=$(awk '/^SigCgt:/ {print $2}' "/proc/$p/status" 2>/dev/null) || return 1
    (( (0x$mask >> 9) & 1 )) || return 1
    n=$((n + 1))
  done
  [ "$n" -eq 2 ]
}

# 1. During data generation (6 million events: about 2 s).
mpiexec -n 2 --oversubscribe "$qgen" train "${base[@]}" data.events=6000000 train.steps=5 \
  results=early-r.h5 checkpoint=early-c.h5 > early.out 2>&1 &
pid=$!
for _ in $(seq 300); do handlers_installed "$pid" && break; sleep 0.01; done
handlers_installed "$pid" || { echo "the ranks never installed their handlers"; cat early.out; exit 1; }
kill -USR1 "$pid"
wait "$pid"; code=$?
cat early.out
[ "$code" -eq 3 ] || { echo "signalled during the data: exit $code, expected 3"; exit 1; }
grep -q "before training started; nothing written" early.out || { echo "no clean-stop message"; exit 1; }
ls -a | grep -q "early-[rc].h5" && { echo "a file was written before training"; exit 1; }

# 2. During the final write (20 million samples: two seconds or more; the poll below must see
#    the last step before the run ends, also on a loaded machine).
mpiexec -n 2 --oversubscribe "$qgen" train "${base[@]}" data.events=20000 train.steps=2 \
  samples=20000000 results=late-r.h5 checkpoint=late-c.h5 log=late.log > late.out 2>&1 &
pid=$!
for _ in $(seq 500); do grep -q '^step *2/2' late.log 2>/dev/null && break; sleep 0.01; done
# To the ranks themselves: mpiexec, if it is already shutting down, may no longer forward it.
pkill -USR1 -P "$pid" -x qgen || { echo "the run ended before the signal"; exit 1; }
wait "$pid"; code=$?
cat late.out
[ "$code" -eq 0 ] || { echo "signalled during the final write: exit $code, expected 0"; exit 1; }
grep -q "arrived while the results were written" late.out || { echo "the signal went unnoticed"; exit 1; }
/usr/bin/python3 - <<'PY' || exit 1
import h5py
with h5py.File("late-r.h5") as f:
    assert f.attrs["stopped"] == "completed", f.attrs["stopped"]
    assert f["samples"].shape == (20000000, 2), f["samples"].shape
print("the results written during the signal are complete")
PY
