#!/usr/bin/env bash
# train_groups.sh QGEN OUTDIR MPIEXEC-AND-FLAGS... -- TRAIN-WORDS...
# `qgen train --group-size S` (docs/groups.md) gives the single-rank run's training: exact runs
# (parameter shift paired and direct, adjoint) on 2 and 4 ranks with S = 1, 2, 4 equal the
# one-rank run's loss history and model to 1e-12; shot runs draw the same counts, so their loss
# histories are equal bit for bit. A checkpoint written with one S restarts with another and
# continues the uninterrupted run. With S > 1 every rank holds only its slices of the target,
# the model and dL/dQ; the last runs check that at Q = 14 with the adjoint (MMD, KL) and the
# paired shift (JS).
#
# Parameters: the paired parameter shift and shot runs match to 1e-12. The adjoint and the direct
# shift sum each derivative in another order on a distributed state (rounding, 1e-17), and the
# parameters that cannot change the distribution (the first RZ on |0>, the last RZ before the
# measurement) have true gradient 0: Adam divides such a rounding-level gradient by its own
# size, moving those parameters by up to eta 1e-17 / eps = 1e-11 per step. For them the test
# allows 1e-9; the model and the loss, which those parameters do not touch, stay within 1e-12.
set -u
qgen=$1 out=$2; shift 2
launcher=()
while [ "$1" != "--" ]; do launcher+=("$1"); shift; done
shift
words=("$@")
mkdir -p "$out" && cd "$out" && rm -f tg-*.h5
check=$(dirname "$0")/check_same_training.py
fail() { echo "train_groups.sh: $*" >&2; exit 1; }

run() {  # name ranks S words...
  local name=$1 n=$2 s=$3; shift 3
  "${launcher[@]}" "$n" "$qgen" train "${words[@]}" --group-size "$s" results="tg-$name.h5" \
      checkpoint="tg-$name-ckpt.h5" "$@" > "tg-$name.out" 2>&1 || {
    cat "tg-$name.out"; fail "$name: $n ranks, S = $s failed"; }
  if [ "$s" -gt 1 ] && ! grep -q -E "$n ranks in $((n / s)) groups? of $s" "tg-$name.out"; then
    cat "tg-$name.out"; fail "$name: no groups in the plan line"; fi
}
same() {  # reference other loss-tolerance params-tolerance
  /usr/bin/python3 "$check" "tg-$1.h5" "tg-$2.h5" "$3" "$4" || fail "$2 differs from $1"
}

modes=("paired|train.exact=true|1e-12|1e-12|2:2 4:1 4:2 4:4"
       "direct|train.exact=true train.shift-evaluation=direct|1e-12|1e-9|2:2 4:4"
       "adjoint|train.exact=true train.gradient=adjoint|1e-12|1e-9|2:2 4:2 4:4"
       "shots|train.shots=400|0|1e-12|2:2 4:2 4:4")
for mode in "${modes[@]}"; do
  IFS='|' read -r name extra loss_tol params_tol cases <<< "$mode"
  read -r -a extra_words <<< "$extra"
  run "$name-1-1" 1 1 "${extra_words[@]}"
  for case in $cases; do
    n=${case%:*} s=${case#*:}
    run "$name-$n-$s" "$n" "$s" "${extra_words[@]}"
    same "$name-1-1" "$name-$n-$s" "$loss_tol" "$params_tol"
  done
done

# Restart across S: half the steps on 2 ranks in one group of 2, the rest on 4 ranks in one group
# of 4 (shots: the counts continue from the checkpoint's evaluation); and exact, 4 groups of 1
# then one group of 2. Both equal the uninterrupted one-rank run.
steps=$(grep -o -E 'train.steps=[0-9]+' <<< "${words[*]}" | cut -d= -f2)
half=$((steps / 2))
filtered=()
for w in "${words[@]}"; do [[ $w == train.steps=* ]] || filtered+=("$w"); done
words=("${filtered[@]}")
run shots-cut 2 2 train.shots=400 train.steps=$half
run shots-cut 4 4 train.shots=400 train.steps=$steps --restart tg-shots-cut-ckpt.h5
same shots-1-1 shots-cut 0 1e-12
run paired-cut 4 1 train.exact=true train.steps=$half
run paired-cut 2 2 train.exact=true train.steps=$steps --restart tg-paired-cut-ckpt.h5
same paired-1-1 paired-cut 1e-12 1e-12

# Larger slices of the loss: Q = 14 on 2 and 4 ranks (2^13 and 2^12 basis states per rank), the
# adjoint with MMD (whose band reaches across the slices' edges: the halo exchange) and with KL
# (empty target bins), and the paired shift with JS; each equals the one-rank run.
filtered=()
for w in "${words[@]}"; do [[ $w == circuit.qubits=* || $w == circuit.depth=* ]] || filtered+=("$w"); done
words=("${filtered[@]}" circuit.qubits=14 circuit.depth=1 train.steps=3 train.exact=true)
for mode in "q14-mmd|train.gradient=adjoint train.loss=mmd|1e-9|2:2 4:2 4:4" \
            "q14-kl|train.gradient=adjoint train.loss=kl|1e-9|2:2 4:4" \
            "q14-js|train.loss=js|1e-12|4:4"; do
  IFS='|' read -r name extra params_tol cases <<< "$mode"
  read -r -a extra_words <<< "$extra"
  run "$name-1-1" 1 1 "${extra_words[@]}"
  for case in $cases; do
    n=${case%:*} s=${case#*:}
    run "$name-$n-$s" "$n" "$s" "${extra_words[@]}"
    same "$name-1-1" "$name-$n-$s" 1e-12 "$params_tol"
  done
done
echo "train_groups.sh: every group layout trains as one rank"
