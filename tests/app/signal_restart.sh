#!/usr/bin/env bash
# Interrupting a training with SIGUSR1 (what Slurm's --signal sends) writes a checkpoint and
# exits with code 3; restarting from it gives exactly the history of an uninterrupted run. A
# kill -9 at any moment leaves the last checkpoint readable. usage: signal_restart.sh QGEN OUTDIR
set -u
qgen=$1 out=$2
mkdir -p "$out" && cd "$out" && rm -f sig-*.h5 sig-*.log
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run=(mpiexec -n 2 --oversubscribe "$qgen" train data.generate=dijet data.events=20000
     encoding.features=pT,mass circuit.ansatz=2 circuit.depth=12 train.steps=200
     train.shots=4096 samples=0 checkpoint-every=20 --quiet)

"${run[@]}" results=sig-whole.h5 checkpoint=sig-whole-ckpt.h5 || { echo "uninterrupted run failed"; exit 1; }

"${run[@]}" results=sig-cut.h5 checkpoint=sig-cut-ckpt.h5 log=sig-cut.log &
pid=$!
for _ in $(seq 200); do  # until about 30 steps are done
  n=$(grep -c '^step' sig-cut.log 2>/dev/null); [ "${n:-0}" -ge 30 ] && break
  sleep 0.05
done
kill -USR1 "$pid"
wait "$pid"; code=$?
[ "$code" -eq 3 ] || { echo "interrupted run exited $code, expected 3"; exit 1; }
[ -f sig-cut-ckpt.h5 ] || { echo "no checkpoint after the signal"; exit 1; }
[ -f sig-cut.h5 ] || { echo "no results after the signal"; exit 1; }
"${run[@]}" results=sig-cut.h5 checkpoint=sig-cut-ckpt.h5 --restart sig-cut-ckpt.h5 ||
  { echo "restart failed"; exit 1; }

# kill -9 while running: the last complete checkpoint still restarts.
"${run[@]}" results=sig-kill.h5 checkpoint=sig-kill-ckpt.h5 log=sig-kill.log &
pid=$!
for _ in $(seq 200); do
  n=$(grep -c '^step' sig-kill.log 2>/dev/null); [ "${n:-0}" -ge 45 ] && break
  sleep 0.05
done
pkill -9 -P "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
ls -a | grep -q '\.sig-kill-ckpt.h5.tmp' && echo "(a temporary was left by the kill, as expected of kill -9)"
"${run[@]}" results=sig-kill.h5 checkpoint=sig-kill-ckpt.h5 --restart sig-kill-ckpt.h5 ||
  { echo "restart after kill -9 failed"; exit 1; }

/usr/bin/python3 - <<'PY' || exit 1
import h5py
whole, cut, kill = (h5py.File(f"sig-{n}.h5", "r") for n in ("whole", "cut", "kill"))
for name in ("step", "loss", "grad_norm", "evaluations"):
    assert (whole["history"][name][:] == cut["history"][name][:]).all(), name
    assert (whole["history"][name][:] == kill["history"][name][:]).all(), name
assert (whole["params"][:] == cut["params"][:]).all() and (whole["params"][:] == kill["params"][:]).all()
print("signal, kill -9 and restarts reproduce the uninterrupted history bit for bit")
PY
