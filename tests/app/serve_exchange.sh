#!/usr/bin/env bash
# serve_exchange.sh QGEN CLIENT DIR: qgen serve-exchange on a batch written by the exchange
# backend itself (exchange_client.cpp): served once, counts agreeing with the emulator's
# probabilities, the same counts when served again, a hand-written batch with an asymmetric
# circuit, bad batches and bad options refused with exit 2 and one message.
set -euo pipefail
qgen=$1
client=$2
dir=$3
device=$(cd "$(dirname "$0")/../.." && pwd)/inputs/devices/ibmq_guadalupe
rm -rf "$dir" && mkdir -p "$dir"
x=$dir/exchange
mkdir -p "$x"

fail() { echo "FAIL: $*"; exit 1; }

# 1. The client submits; nothing is there yet.
"$client" submit "$x" "$device"
if "$client" check "$x" "$device"; then fail "results before serving"; fi
test -f "$x/batches/lcd_it0_l0/circuit_002.qasm" || fail "batch not written"

# 2. Served once: one progress line, results written atomically (no temporaries left).
"$qgen" serve-exchange --device "$device" --dir "$x" --once | tee "$dir/serve1.txt"
grep -q 'served  *lcd_it0_l0: 3 circuits x 8000 shots, 4 qubits' "$dir/serve1.txt" || fail "no progress line"
grep -q 'batches  *1 served' "$dir/serve1.txt" || fail "not one batch served"
test -z "$(ls -A "$x/results" | grep -v '^lcd_it0_l0.json$' || true)" || fail "temporaries left in results/"
"$client" check "$x" "$device"
test "$(wc -l < "$x/journal.jsonl")" = 1 || fail "journal not one line"

# 3. Nothing left to serve; served again after removing the results: the same bytes.
"$qgen" serve-exchange --device "$device" --dir "$x" --once | grep -q 'batches  *0 served' || fail "served twice"
cp "$x/results/lcd_it0_l0.json" "$dir/first.json"
rm "$x/results/lcd_it0_l0.json"
"$qgen" serve-exchange --device "$device" --dir "$x" --once --poll 0.1 >/dev/null
cmp "$dir/first.json" "$x/results/lcd_it0_l0.json" || fail "counts differ when served again"
"$qgen" serve-exchange --device "$device" --dir "$x" --once --seed 2 >/dev/null  # nothing to do
"$client" check "$x" "$device"

# 4. A hand-written batch: x on q[1] measured into c[0], q[4] (untouched) into c[1]; noiseless,
#    every shot is c[0] = 1, c[1] = 0: Qiskit key "01". Hidden and *.tmp folders are not served.
h=$dir/hand
mkdir -p "$h/batches/asym" "$h/batches/.half.tmp.node.1" "$h/batches/other.tmp"
cat > "$h/batches/asym/manifest.json" <<'JSON'
{"format": "qgen-exchange-1", "batch": "asym", "number": 0, "device": "ibmq_guadalupe",
 "shots": 100, "circuits": ["circuit_000.qasm"], "num_qubits": 2, "bit_order": "c[1]c[0]"}
JSON
cat > "$h/batches/asym/circuit_000.qasm" <<'QASM'
OPENQASM 2.0;
include "qelib1.inc";
// hand-written: x on q[1]
qreg q[16];
creg c[2];
rz(pi/2) q[1];
x q[1];
rz(-pi/2) q[1];
barrier q[1],q[4];
measure q[1] -> c[0];
measure q[4] -> c[1];
QASM
cp "$h/batches/asym/manifest.json" "$h/batches/.half.tmp.node.1/"
"$qgen" serve-exchange --device "$device" --dir "$h" --once --emulator.readout=false \
  --emulator.gate-errors=false --emulator.relaxation=false | grep -q 'batches  *1 served' || fail "asym not served alone"
grep -q '"counts":{"01":100}' "$h/results/asym.json" || fail "asymmetric key: $(cat "$h/results/asym.json")"
test ! -e "$h/results/.half.json" || fail "hidden batch served"
# With trajectories and the device's noise: counts still sum to the shots, "01" dominant.
rm "$h/results/asym.json"
"$qgen" serve-exchange --device "$device" --dir "$h" --once --emulator.method trajectories --emulator.trajectories 50 >/dev/null
/usr/bin/python3 - "$h/results/asym.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
counts = r["results"][0]["counts"]
assert r["batch"] == "asym" and sum(counts.values()) == 100, r
assert counts.get("01", 0) > 80, counts
PY

# 5. Bad input: exit 2 and one message naming what is wrong.
expect_exit() {  # expect_exit REGEX command...
  local regex=$1; shift
  set +e; "$@" > "$dir/out.txt" 2>&1; local rc=$?; set -e
  test $rc = 2 || { cat "$dir/out.txt"; fail "exit $rc, not 2: $*"; }
  grep -Eq -e "$regex" "$dir/out.txt" || { cat "$dir/out.txt"; fail "no '$regex': $*"; }
}
expect_exit "--device '/nowhere' is not a folder" "$qgen" serve-exchange --device /nowhere --dir "$x" --once
expect_exit "--dir '$dir/none' is not an existing folder" "$qgen" serve-exchange --device "$device" --dir "$dir/none" --once
expect_exit "--poll = -1" "$qgen" serve-exchange --device "$device" --dir "$x" --poll -1
expect_exit "--dir: the exchange directory" "$qgen" serve-exchange --device "$device"
b=$dir/bad
mkdir -p "$b/batches/b1"
sed 's/"asym"/"b1"/' "$h/batches/asym/manifest.json" > "$b/batches/b1/manifest.json"
sed 's/^x q\[1\];/h q[1];/' "$h/batches/asym/circuit_000.qasm" > "$b/batches/b1/circuit_000.qasm"
expect_exit "circuit_000.qasm' line 7: 'h' is not supported" "$qgen" serve-exchange --device "$device" --dir "$b" --once
test ! -e "$b/results/b1.json" || fail "results written for a bad batch"
sed 's/ibmq_guadalupe/ibm_cairo/' "$h/batches/asym/manifest.json" | sed 's/"asym"/"b1"/' > "$b/batches/b1/manifest.json"
expect_exit "a batch for ibm_cairo; this server emulates ibmq_guadalupe" "$qgen" serve-exchange --device "$device" --dir "$b" --once

# 6. --idle-exit: a server with nothing to do stops by itself.
"$qgen" serve-exchange --device "$device" --dir "$x" --poll 0.2 --idle-exit 1 | grep -q 'idle  *1 s with nothing to do' || fail "idle exit"
echo "serve-exchange: all checks passed"
