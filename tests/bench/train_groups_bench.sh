#!/usr/bin/env bash
# train_groups_bench.sh QGEN OUTDIR [QUBITS...]: seconds per training step of `qgen train` with
# rank groups (docs/groups.md), for the adjoint and the paired parameter shift (exact), ansatz
# 1, depth 2: 1 rank; 2 ranks as 2 groups of 1 (S = 1); 2 ranks as 1 group of 2 (S = 2).
# GRADIENTS="adjoint" limits the methods. Prints the median over 3 runs of each run's median step time (steps 1.., the first step's
# set-up left out). Not a test: timings depend on the machine and its load.
set -u
qgen=$1 out=$2; shift 2
qubits=("${@:-16 18 20}")
read -r -a qubits <<< "${qubits[*]}"
mkdir -p "$out" && cd "$out"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
median_step() {  # results file -> median of /history/seconds[1:]
  /usr/bin/python3 -c "import h5py, numpy as np, sys; print(np.median(h5py.File(sys.argv[1])['history/seconds'][1:]))" "$1"
}
printf '%-16s %3s %6s %6s %12s\n' gradient Q ranks S "s/step"
for q in "${qubits[@]}"; do
  for gradient in ${GRADIENTS:-adjoint parameter-shift}; do
    for layout in "1 1" "2 1" "2 2"; do
      read -r n s <<< "$layout"
      times=()
      for rep in 1 2 3; do
        mpiexec -n "$n" --oversubscribe "$qgen" train data.generate=dijet data.events=20000 \
            encoding.features=pT,mass circuit.qubits="$q" circuit.depth=2 train.exact=true \
            train.gradient="$gradient" train.steps=4 samples=0 checkpoint-every=0 --quiet \
            results=bench.h5 checkpoint=bench-ckpt.h5 --group-size "$s" > bench.out 2>&1 ||
          { cat bench.out; exit 1; }
        times+=("$(median_step bench.h5)")
      done
      median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 2p)
      printf '%-16s %3d %6d %6d %12.4f   (runs: %s)\n' "$gradient" "$q" "$n" "$s" "$median" "${times[*]}"
    done
  done
done
