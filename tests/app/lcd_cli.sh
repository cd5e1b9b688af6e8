#!/usr/bin/env bash
# lcd_cli.sh QGEN DEVICE_FOLDER OUT_DIR MPIEXEC-AND-FLAGS...
# qgen lcd end to end on a tiny trained model (4 qubits, ansatz 1, depth 1) and an emulated
# ibmq_guadalupe:
#   1. two sweeps in one run (1 rank) against one sweep, then a restart to two sweeps on 2 ranks:
#      the /lcd records and parameters identical bit for bit (restart exact, ranks irrelevant);
#   2. the Fourier method runs and spends 3 circuits per angle;
#   3. the exchange backend on 2 ranks, and a restart of its finished run that sends nothing;
#   4. SIGTERM while waiting for a batch exits 3 (before or after the first checkpoint), and the
#      restart ends where the uninterrupted run ended;
#   5. bad input: one clear message, exit 2, no results file.
set -u
qgen=$1 device=$2 out=$3; shift 3
mpi=("$@")
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
fail() { echo "lcd_cli.sh: $*" >&2; exit 1; }
run() { "$@" > run.log 2>&1 || { cat run.log; fail "'$*' failed"; }; cat run.log; }

run "$qgen" train data.generate=dijet data.events=20000 encoding.features=pT,mass circuit.qubits=4 \
    circuit.depth=1 train.exact=true train.gradient=adjoint train.steps=30 samples=100 \
    results=model.h5 checkpoint=model-ckpt.h5 --quiet
common=(--model model.h5 --device "$device" lcd.shots=4000 lcd.batch-limit=120 samples=500)
run "$qgen" lcd "${common[@]}" lcd.sweeps=2 --results two.h5
grep -q "iteration   6/6" run.log || fail "two sweeps of 3 layers should be 6 iterations"
run "$qgen" lcd "${common[@]}" lcd.sweeps=1 --results one.h5
run "${mpi[@]}" 2 "$qgen" lcd "${common[@]}" lcd.sweeps=2 --restart one.checkpoint.h5 --results resumed.h5
grep -q "restarted after iteration 3" run.log || fail "the restart did not resume after iteration 3"
/usr/bin/python3 - <<'PY' || fail "the restarted run differs from the uninterrupted one"
import h5py, numpy as np
a, b = h5py.File("two.h5", "r"), h5py.File("resumed.h5", "r")
def walk(g, prefix=""):
    for k, v in g.items():
        if isinstance(v, h5py.Group): yield from walk(v, prefix + k + "/")
        else: yield prefix + k
keys = sorted(walk(a["lcd"]))
assert keys == sorted(walk(b["lcd"])), "different /lcd layouts"
for k in keys:
    x, y = a["lcd"][k][()], b["lcd"][k][()]
    assert np.array_equal(x, y, equal_nan=True) if isinstance(x, np.ndarray) and x.dtype.kind == "f" else np.array_equal(x, y), k
assert np.array_equal(a["params"][()], b["params"][()])
it = a["lcd/iterations"]
assert len(it["layer"]) == 6 and list(it["layer"][()]) == [0, 1, 2, 0, 1, 2]
# the final Rot row's omega angles act right before measurement: flat, never sent
flat = a["lcd/iteration_0000/flat"][()]
ids = a["lcd/iteration_0000/parameter_ids"][()]
assert all(flat[ids % 3 == 2]), "final-layer omega angles should be flat"
assert a["samples"].shape == (500, 2) and "js_measured_after" in a["lcd/metrics"]
print("restart: identical /lcd records over", len(keys), "datasets")
PY

run "$qgen" lcd "${common[@]}" lcd.method=fourier --results fourier.h5
/usr/bin/python3 - <<'PY' || fail "Fourier run"
import h5py
f = h5py.File("fourier.h5", "r")
for i, n in enumerate(f["lcd/iterations/circuits"][()]):
    g = f["lcd/iteration_%04d" % i]
    assert n == 3 * (g["flat"][()] == 0).sum(), "3 circuits per non-flat angle"
assert f["lcd"].attrs["method"] == "fourier"
PY

# The exchange backend, served by qgen serve-exchange on 2 ranks of LCD; the readout mitigation.
rm -rf xdir && mkdir xdir
"$qgen" serve-exchange --device "$device" --dir xdir --poll 0.05 --idle-exit 30 > serve.log 2>&1 &
server=$!
run "${mpi[@]}" 2 "$qgen" lcd "${common[@]}" backend=exchange backend.dir=xdir mitigate=readout --results ex.h5
grep -q "mitigation     readout" run.log || fail "no mitigation line"
journal=$(wc -l < xdir/journal.jsonl)
[ "$journal" = 5 ] || fail "expected 5 journalled batches (before, 3 iterations, after), found $journal"
# Restarting the finished run re-reads its last batch from the directory: nothing is sent again.
run "$qgen" lcd "${common[@]}" backend=exchange backend.dir=xdir mitigate=readout --restart ex.checkpoint.h5 --results ex2.h5
[ "$(wc -l < xdir/journal.jsonl)" = 5 ] || fail "the restart submitted a batch again"
[ "$(ls xdir/batches | wc -l)" = 5 ] || fail "the restart wrote a new batch"
/usr/bin/python3 -c "
import h5py, numpy as np
a, b = h5py.File('ex.h5','r'), h5py.File('ex2.h5','r')
assert np.array_equal(a['params'][()], b['params'][()])
assert a['lcd/metrics/js_measured_after'][()] == b['lcd/metrics/js_measured_after'][()]
assert a['lcd'].attrs['mitigate'] == 'readout'" || fail "exchange restart differs"
kill $server 2>/dev/null; wait $server 2>/dev/null

# SIGTERM while the run waits for a batch (no server answers): exit 3, no results file. Stopped in
# the first measurement, nothing is saved and the same command starts again, reading the batch
# it had submitted; stopped in iteration 1, the checkpoint holds the first measurement and a
# restart on 2 ranks ends exactly where the uninterrupted exchange run ended.
exchange=("${common[@]}" backend=exchange backend.dir=sdir mitigate=readout --results sig.h5)
rm -rf sdir sig.h5 sig.checkpoint.h5 && mkdir sdir
stop_when_submitted() {  # batch message
  "$qgen" lcd "${exchange[@]}" > sig.log 2>&1 &
  local pid=$!
  for _ in $(seq 600); do [ -d "sdir/batches/$1" ] && break; sleep 0.05; done
  [ -d "sdir/batches/$1" ] || { kill $pid; fail "batch $1 was never submitted"; }
  kill -TERM $pid; wait $pid; local code=$?
  cat sig.log
  [ "$code" = 3 ] || fail "SIGTERM while waiting for $1: exit $code, expected 3"
  grep -q "stopped        by signal 15 $2" sig.log || fail "SIGTERM while waiting for $1: no '$2'"
  [ -e sig.h5 ] && fail "a stopped run wrote its results file"
  return 0
}
stop_when_submitted lcd-before "while measuring the trained model, before any checkpoint; run the same command again"
[ -e sig.checkpoint.h5 ] && fail "a checkpoint was written before the first measurement"
"$qgen" serve-exchange --device "$device" --dir sdir --once > /dev/null || fail "serve-exchange --once failed"
stop_when_submitted lcd-i0-s0-l0 "during iteration 1; continue with --restart sig.checkpoint.h5"
"$qgen" serve-exchange --device "$device" --dir sdir --poll 0.05 --idle-exit 30 > serve.log 2>&1 &
server=$!
run "${mpi[@]}" 2 "$qgen" lcd "${exchange[@]}" --restart sig.checkpoint.h5
kill $server 2>/dev/null; wait $server 2>/dev/null
[ "$(wc -l < sdir/journal.jsonl)" = 5 ] || fail "the stopped runs and the restart journalled other than 5 batches"
/usr/bin/python3 -c "
import h5py, numpy as np
a, b = h5py.File('ex.h5','r'), h5py.File('sig.h5','r')
assert np.array_equal(a['params'][()], b['params'][()])
assert a['lcd/metrics/js_measured_before'][()] == b['lcd/metrics/js_measured_before'][()]
assert a['lcd/metrics/js_measured_after'][()] == b['lcd/metrics/js_measured_after'][()]" \
  || fail "the stopped and restarted exchange run differs from the uninterrupted one"

expect() {  # code regex args...
  local code=$1 regex=$2; shift 2
  rm -f bad.h5
  "$qgen" lcd "$@" --results bad.h5 > bad.log 2>&1; local got=$?
  cat bad.log
  [ "$got" = "$code" ] || fail "expected exit $code for: $*"
  grep -q -E -- "$regex" bad.log || fail "no /$regex/ for: $*"
  [ "$(grep -c 'error' bad.log)" = 1 ] || fail "not exactly one error line for: $*"
  [ -e bad.h5 ] && fail "bad input left a results file"
  return 0
}
"$qgen" data --generate dijet --events 100 --output events.h5 > /dev/null
expect 2 "not a qgen results file" --model events.h5 --device "$device"
expect 2 "is not a folder; a device is a folder" --model model.h5 --device /nonexistent
expect 2 "--device is required" --model model.h5
expect 2 "needs batches of at least" --model model.h5 --device "$device" lcd.batch-limit=5
expect 2 "other lcd, device or emulator options" "${common[@]}" lcd.method=fourier --restart one.checkpoint.h5
expect 2 "lcd.half-width" "${common[@]}" lcd.half-width=-1
rm -rf silent && mkdir silent
expect 2 "returned no counts for batch 'lcd-before' within 1 s" "${common[@]}" backend=exchange backend.dir=silent backend.timeout=1
[ -f silent/batches/lcd-before/manifest.json ] || fail "the unanswered batch is not in the directory"
expect 2 "backend.dir" "${common[@]}" backend=exchange
expect 2 "mitigate = 'all'" "${common[@]}" mitigate=all
echo "lcd_cli.sh: all passed"
