#!/usr/bin/env bash
# study_cli.sh QGEN OUTDIR MPIEXEC-AND-FLAGS...: `qgen study` (docs/study.md) end to end, small.
#   1. One study of 6 runs (sweep: encoding.features x train.shots) on 1 rank, on 2 ranks in one
#      group and on 2 ranks in two groups: 2 runs complete, 2 fail inside qgen train (a feature
#      the data lack) and 2 are invalid (train.shots = 0); the study goes on, exits 1 and writes
#      one file with every run; each completed run's parameters equal a plain `qgen train` of its
#      recorded configuration, and the same on every layout.
#   2. Rerun: completed runs are skipped (their results file is the same inode), failed ones run
#      again; a changed study makes its runs stale (--list).
#   3. Job array mode: --task N trains one run, --collect merges what exists (missing runs
#      recorded); bad tasks refused.
#   4. Bad study files: an unknown train key, an unknown section, bad [evaluate] keys: exit 2, nothing
#      written.
#   5. data.fraction keeps the events of qgen data --fraction.
set -u
qgen=$1 out=$2; shift 2
launcher=("$@")
here=$(cd "$(dirname "$0")" && pwd)
expect=$here/expect.sh
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
fail() { echo "study_cli.sh: $*" >&2; exit 1; }
py() { /usr/bin/python3 "$@"; }

cat > study.ini <<'INI'
# a tiny study: 4-qubit circuits, a few steps
[study]
name = tiny
output = OUTPUT
[sweep]
encoding.features = pT,mass; pT,nothing    # the second fails inside qgen train
train.shots = 200, 0, 300                   # 0 is invalid
[set]
data.generate = dijet
data.events = 3000
circuit.qubits = 4
circuit.depth = 1
train.steps = 4
samples = 50
INI
expected=(run-0=completed run-1=invalid run-2=completed run-3=failed run-4=invalid run-5=failed)

# 1. Three layouts.
for layout in 1:1 2:1 2:2; do
  n=${layout%:*} g=${layout#*:}
  mkdir -p "l$n$g"
  sed "s|OUTPUT|l$n$g/study.h5|" study.ini > "l$n$g/study.ini"
  "${launcher[@]}" "$n" "$qgen" study --config "l$n$g/study.ini" --groups "$g" > "l$n$g/out.txt" 2>&1
  code=$?
  [ "$code" = 1 ] || { cat "l$n$g/out.txt"; fail "$n ranks, $g groups: exit $code, expected 1"; }
  grep -q "2 of 6 runs completed; written l$n$g/study.h5" "l$n$g/out.txt" || { cat "l$n$g/out.txt"; fail "no summary"; }
  py "$here/check_study.py" "l$n$g/study.h5" "${expected[@]}" > "l$n$g/completed.txt" || fail "l$n$g: study file"
done
grep -q "run-1_features-pT_mass_shots-0 (2 of 6): invalid, not run: train.shots must be > 0" l11/out.txt ||
  fail "the invalid run's message"
grep -q "run-3_features-pT_nothing_shots-200 (failed): .*nothing" l22/out.txt || fail "the failed run's message"
while read -r name ini; do
  "$qgen" train --config "$ini" results="plain-$name.h5" checkpoint="plain-$name-ckpt.h5" log="plain-$name.log" > /dev/null 2>&1 || fail "plain train of $name"
  for layout in 11 21 22; do
    py - "plain-$name.h5" "l$layout/study.h5" "$name" <<'PY' || fail "$name in l$layout differs from plain qgen train"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as a, h5py.File(sys.argv[2]) as s:
    b = s["runs"][sys.argv[3]]
    assert np.array_equal(a["history/loss"][:], b["history/loss"][:]), "loss"
    assert np.abs(a["params"][:] - b["params"][:]).max() <= 1e-12, "params"
    assert np.abs(a["model/probs"][:] - b["model/probs"][:]).max() <= 1e-12, "model"
PY
  done
done < l11/completed.txt
[ "$(wc -l < l11/completed.txt)" = 2 ] || fail "expected 2 completed runs"
echo "study_cli.sh: 1 and 2 ranks, 1 and 2 groups: the same study file; runs equal plain qgen train"

# 2. Restart: completed runs skipped, failed ones again; a changed study is stale.
before=$(stat -c %i l22/study.h5.runs/run-0_*.h5 l22/study.h5.runs/run-2_*.h5)
"${launcher[@]}" 2 "$qgen" study --config l22/study.ini --groups 2 > l22/again.txt 2>&1
[ $? = 1 ] || { cat l22/again.txt; fail "rerun: exit code"; }
[ "$(grep -c "completed earlier .* skipped" l22/again.txt)" = 2 ] || { cat l22/again.txt; fail "rerun did not skip 2 runs"; }
grep -q "run-3_.* (4 of 6) .* on group 1" l22/again.txt || fail "rerun: the failed run did not run again"
after=$(stat -c %i l22/study.h5.runs/run-0_*.h5 l22/study.h5.runs/run-2_*.h5)
[ "$before" = "$after" ] || fail "rerun rewrote finished runs"
py "$here/check_study.py" l22/study.h5 "${expected[@]}" > /dev/null || fail "rerun: study file"
sed -i 's/train.steps = 4/train.steps = 5/' l22/study.ini
"$qgen" study --config l22/study.ini --list > l22/list.txt 2>&1 || fail "--list"
grep -q "run-0_features-pT_mass_shots-200 .* stale" l22/list.txt || { cat l22/list.txt; fail "changed study not stale"; }
echo "study_cli.sh: rerun skips completed runs, retries failed ones; a changed study is stale"

# 2b. A signal (SIGUSR1, what Slurm sends before the time limit) stops the runs with their
#     checkpoints: exit 3, the study file written; the rerun continues them and ends with the
#     training of an uninterrupted plain qgen train.
mkdir -p sig
cat > sig/study.ini <<'INI'
[study]
name = sig
output = sig/study.h5
[sweep]
train.seed = 1, 2
[set]
data.generate = dijet
data.events = 3000
encoding.features = pT,mass
circuit.qubits = 4
circuit.depth = 1
train.steps = 3000
train.shots = 200
samples = 50
checkpoint-every = 0
INI
"${launcher[@]}" 2 "$qgen" study --config sig/study.ini --groups 2 > sig/first.txt 2>&1 &
pid=$!
for _ in $(seq 300); do
  n=$(grep -c '^step' sig/study.h5.runs/run-1_seed-2.log 2>/dev/null)
  [ "${n:-0}" -ge 20 ] && break
  sleep 0.1
done
kill -USR1 "$pid"
wait "$pid"
code=$?
[ "$code" = 3 ] || { cat sig/first.txt; fail "signalled study: exit $code, expected 3"; }
py - <<'PY' || fail "the signalled study's file"
import h5py
with h5py.File("sig/study.h5") as f:
    status = [s.decode() for s in f["table/status"][:]]
    assert "stopped" in status and set(status) <= {"stopped", "completed"}, status
PY
"${launcher[@]}" 2 "$qgen" study --config sig/study.ini --groups 2 > sig/again.txt 2>&1 || { cat sig/again.txt; fail "continued study"; }
grep -q "continuing from sig/study.h5.runs/run-1_seed-2.checkpoint.h5" sig/again.txt || { cat sig/again.txt; fail "no run continued"; }
py "$here/check_study.py" sig/study.h5 run-0=completed run-1=completed > sig/completed.txt || fail "continued study file"
"$qgen" train --config sig/run-1_seed-2.ini results=sig/plain.h5 checkpoint=sig/plain-ckpt.h5 log=sig/plain.log > /dev/null 2>&1 ||
  fail "plain train of the signalled run"
py - <<'PY' || fail "the continued run differs from an uninterrupted one"
import h5py, numpy as np
with h5py.File("sig/plain.h5") as a, h5py.File("sig/study.h5") as s:
    b = s["runs/run-1_seed-2"]
    assert np.array_equal(a["history/loss"][:], b["history/loss"][:]), "loss"
    assert np.array_equal(a["params"][:], b["params"][:]), "params"
PY
echo "study_cli.sh: a signal stops the study with checkpoints (exit 3); the rerun continues exactly"

# 3. Job array mode.
mkdir -p arr && sed "s|OUTPUT|arr/study.h5|" study.ini > arr/study.ini
"${launcher[@]}" 2 "$qgen" study --config arr/study.ini --task 2 > arr/t2.txt 2>&1 || { cat arr/t2.txt; fail "--task 2"; }
"$qgen" study --config arr/study.ini --task 3 > arr/t3.txt 2>&1
[ $? = 2 ] || { cat arr/t3.txt; fail "--task 3 (a failing run): exit code"; }
[ -f arr/study.h5 ] && fail "--task wrote the study file"
"$expect" 2 "runs 0 to 5 \(see --list\)" -- "$qgen" study --config arr/study.ini --task 6 > /dev/null || fail "--task 6"
"$expect" 2 "SLURM_ARRAY_TASK_ID is not set" -- env -u SLURM_ARRAY_TASK_ID "$qgen" study --config arr/study.ini --task slurm > /dev/null ||
  fail "--task slurm without Slurm"
SLURM_ARRAY_TASK_ID=0 "$qgen" study --config arr/study.ini --task slurm > arr/t0.txt 2>&1 || fail "--task slurm"
"$qgen" study --config arr/study.ini --collect > arr/collect.txt 2>&1
[ $? = 1 ] || { cat arr/collect.txt; fail "--collect with missing runs: exit code"; }
py "$here/check_study.py" arr/study.h5 run-0=completed run-1=invalid run-2=completed run-3=failed \
   run-4=invalid run-5=missing > /dev/null || fail "--collect: study file"
py - arr/study.h5 l11/study.h5 <<'PY' || fail "array runs differ from the allocation's"
import sys, h5py, numpy as np
with h5py.File(sys.argv[1]) as a, h5py.File(sys.argv[2]) as b:
    for name in ("run-0_features-pT_mass_shots-200", "run-2_features-pT_mass_shots-300"):
        assert np.array_equal(a["runs"][name]["params"][:], b["runs"][name]["params"][:]), name
PY
echo "study_cli.sh: --task trains one run, --collect merges what exists"

# 4. Bad study files: exit 2, no output, no runs folder.
bad() {  # name regex ini-lines...
  local name=$1 regex=$2; shift 2
  printf '%s\n' "[study]" "name = bad" "output = bad-$name.h5" "$@" > "bad-$name.ini"
  "$expect" 2 "$regex" --absent "bad-$name.h5" -- "${launcher[@]}" 2 "$qgen" study --config "bad-$name.ini" > /dev/null ||
    fail "bad study $name"
  [ -e "bad-$name.h5.runs" ] && fail "bad study $name made its runs folder"
  return 0
}
bad key "bad-key.ini', line 6: \[sweep\] circuit.depht: not a qgen train key" "[sweep]" "circuit.depth = 1" "circuit.depht = 1, 2"
bad section "unknown section \[sweeps\]" "[sweeps]" "circuit.depth = 1"
bad evaluate "\[evaluate\] repetitions = '-1' is not a whole number >= 0" "[evaluate]" "repetitions = -1"
bad evaluate-key "\[evaluate\] repeats: unknown key" "[evaluate]" "repeats = 10"
bad evaluate-data "\[evaluate\] data 'nowhere.h5' does not exist" "[evaluate]" "repetitions = 10" "data = nowhere.h5"
bad owned "the study names each run's results itself" "[set]" "results = x.h5"
bad twice "train.seed is given twice" "[sweep]" "train.seed = 1, 2" "[set]" "train.seed = 3"
bad value "\[sweep\] circuit.depth names '3' twice" "[sweep]" "circuit.depth = 3, 3"
echo "study_cli.sh: bad study files refused with exit 2, nothing written"

# 5. data.fraction: the events qgen data --fraction keeps (the same target distribution).
"$qgen" data --generate dijet --events 3000 --fraction 0.1 --split-seed 4 --output subset.h5 > /dev/null || fail "qgen data --fraction"
common=(encoding.features=pT,mass circuit.qubits=4 circuit.depth=1 train.steps=1 samples=0 checkpoint=fraction-ckpt.h5 --quiet)
"$qgen" train data.generate=dijet data.events=3000 data.fraction=0.1 data.fraction-seed=4 "${common[@]}" results=fraction.h5 > fraction.txt 2>&1 ||
  { cat fraction.txt; fail "train data.fraction"; }
grep -q "fraction 0.1 (seed 4): 300 of 3000 events" fraction.txt || { cat fraction.txt; fail "fraction not reported"; }
"$qgen" train data.input=subset.h5 "${common[@]}" results=subset-trained.h5 > /dev/null 2>&1 || fail "train on the subset"
py - <<'PY' || fail "data.fraction differs from qgen data --fraction"
import h5py, numpy as np
with h5py.File("fraction.h5") as a, h5py.File("subset-trained.h5") as b:
    assert np.array_equal(a["target/probs"][:], b["target/probs"][:]), "target"
    assert a.attrs["events_kept"] == 300 and a.attrs["fraction"] == 0.1
    assert "fraction = 0.1" in a["config"][()].decode()
PY
"$expect" 2 "data.fraction must be in \(0, 1\], got 0" -- "$qgen" train data.generate=dijet data.fraction=0 > /dev/null || fail "data.fraction 0"
echo "study_cli.sh: data.fraction keeps the events of qgen data --fraction"
echo "study_cli.sh: all passed"
