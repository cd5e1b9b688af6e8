#!/usr/bin/env bash
# qgen qinn train interrupted with SIGUSR1 (what Slurm's --signal sends) in the middle of an
# epoch writes a checkpoint and exits with code 3; restarting from it ends with exactly the
# history and parameters of an uninterrupted run. usage: qinn_signal_restart.sh QGEN OUTDIR
set -u
qgen=$1 out=$2
mkdir -p "$out" && cd "$out" && rm -f qsig-*.h5 qsig-*.log
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run=(mpiexec -n 2 --oversubscribe "$qgen" qinn train data.events=4000 model.layers=3
     model.isp-layers=2 model.network-hidden=8 model.chunk=8 train.epochs=40 samples=200 --quiet)

"${run[@]}" results=qsig-whole.h5 checkpoint=qsig-whole-ckpt.h5 || { echo "uninterrupted run failed"; exit 1; }

"${run[@]}" results=qsig-cut.h5 checkpoint=qsig-cut-ckpt.h5 log=qsig-cut.log &
pid=$!
for _ in $(seq 400); do  # until about 8 epochs are done
  n=$(grep -c '^epoch' qsig-cut.log 2>/dev/null); [ "${n:-0}" -ge 8 ] && break
  sleep 0.05
done
kill -USR1 "$pid"
wait "$pid"; code=$?
[ "$code" -eq 3 ] || { echo "interrupted run exited $code, expected 3"; exit 1; }
[ -f qsig-cut-ckpt.h5 ] || { echo "no checkpoint after the signal"; exit 1; }
[ ! -f qsig-cut.h5 ] || { echo "results written by a stopped run"; exit 1; }
"${run[@]}" results=qsig-cut.h5 checkpoint=qsig-cut-ckpt.h5 --restart qsig-cut-ckpt.h5 ||
  { echo "restart failed"; exit 1; }

/usr/bin/python3 - <<'PY' || exit 1
import h5py
whole, cut = (h5py.File(f"qsig-{n}.h5", "r") for n in ("whole", "cut"))
h, c = whole["history"], cut["history"]
for name in ("epoch", "learning_rate", "grad_norm"):
    assert (h[name][:] == c[name][:]).all(), name
for group in ("train", "validation"):
    for name in ("input_mmd", "latent_mmd", "mass_mmd", "invertibility", "total"):
        assert (h[group][name][:] == c[group][name][:]).all(), (group, name)
for name in ("model/parameters", "model/final_parameters", "samples", "test/log_density"):
    assert (whole[name][:] == cut[name][:]).all(), name
print("signal mid-epoch and restart reproduce the uninterrupted QINN run bit for bit")
PY
