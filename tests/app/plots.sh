#!/usr/bin/env bash
# tools/qgen-plot on every kind of file it reads: two tiny qgen train runs (ansatz 1 and 2), a
# qgen eval output, a tiny QINN, a synthetic /lcd file (two ansätze, one skipped iteration) and
# a synthetic scaling table. Each figure's PNG must load, be at least 300 x 200 pixels and not
# blank (pixel variance); each PDF must start with %PDF; no temporary file may be left. Bad
# inputs must exit 2 with one line. Exits 77 (skipped) without Debian's python3-matplotlib.
# usage: plots.sh QGEN SOURCE_DIR OUTDIR
set -u
qgen=$1 source=$2 out=$3
plot="/usr/bin/python3 $source/tools/qgen-plot"
/usr/bin/python3 -c "import matplotlib, h5py" 2>/dev/null || { echo "python3-matplotlib missing: skipped"; exit 77; }
rm -rf "$out" && mkdir -p "$out/runs" "$out/figures" && cd "$out" || exit 1
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
set -e

tiny="data.generate=dijet data.events=20000 encoding.features=pT,mass circuit.qubits=4 circuit.depth=1 train.steps=5 train.shots=500 samples=2000 --quiet"
"$qgen" train $tiny circuit.ansatz=1 results=runs/a1.h5 checkpoint=a1-ckpt.h5 >/dev/null
"$qgen" train $tiny circuit.ansatz=2 results=runs/a2.h5 checkpoint=a2-ckpt.h5 >/dev/null
"$qgen" eval --results runs/a1.h5 --output runs/a1-eval.h5 >/dev/null
# A tiny evaluated study over data.fraction (the training-size band, paper 000 Fig. 7).
"$qgen" data --generate dijet --events 20000 --seed 1 --output events.h5 >/dev/null
cat >size.ini <<INI
[study]
name = size
output = runs/size.h5
[set]
data.generate = dijet
data.events = 20000
encoding.features = pT,mass
circuit.qubits = 4
circuit.depth = 1
train.steps = 5
train.shots = 500
samples = 200
[sweep]
data.fraction = 0.05, 0.2, 1
[evaluate]
repetitions = 20
shots = 500
data = events.h5
INI
"$qgen" study --config size.ini >/dev/null
rm -rf runs/size.h5.runs
"$qgen" qinn train data.events=2000 model.layers=2 model.isp-layers=1 model.network-hidden=8 \
  model.chunk=8 train.epochs=2 --quiet results=runs/qinn.h5 checkpoint=qinn-ckpt.h5 >/dev/null

/usr/bin/python3 - <<'PY'
# The /lcd layout of the layer-wise coordinate descent (docs/plots.md), 12 iterations of 9
# circuits each, iteration 5 skipped; and a table as tools/scaling-table.py --output writes it.
import h5py
import numpy as np

for k, name in enumerate(("runs/lcd-a1.h5", "runs/lcd-a2.h5")):
    rng = np.random.default_rng(k)
    count, circuits = 12, 9
    skipped = np.zeros(count, dtype=np.int64)
    skipped[5] = 1
    best = 0.5 * np.exp(-np.arange(count) / 4) + 0.05 + 0.03 * k
    with h5py.File(name, "w") as f:
        lcd = f.create_group("lcd")
        lcd.attrs.update(method="grid" if k == 0 else "fourier", device="emulator", shots=8192)
        it = lcd.create_group("iterations")
        it["sweep"] = np.arange(count, dtype=np.int64) // 6
        it["layer"] = np.arange(count, dtype=np.int64) % 3
        it["circuits"] = np.full(count, circuits, dtype=np.int64)
        it["skipped"] = skipped
        it["batch"] = np.arange(count, dtype=np.int64)
        it["loss_noisy"] = np.where(skipped == 1, np.nan, best + 0.02)
        it["loss_noiseless"] = np.where(skipped == 1, np.nan, best)
        for i in np.flatnonzero(skipped == 0):
            g = lcd.create_group(f"iteration_{i:04d}")
            g["js_noiseless"] = best[i] + np.abs(rng.normal(0, 0.05, circuits))
            g["js_noisy"] = best[i] + 0.02 + np.abs(rng.normal(0, 0.06, circuits))
            g["shifts"] = np.linspace(-np.pi / 4, np.pi / 4, circuits)
            g["parameter_ids"] = np.arange(circuits, dtype=np.int64)

with open("runs/scaling.tsv", "w") as t:
    t.write("ranks\tparameters\tseconds_per_step\tspeed_up\tefficiency\n")
    for n, s in ((1, 0.8), (2, 0.42), (4, 0.23), (8, 0.14)):
        t.write(f"{n}\t276\t{s}\t{0.8 / s:.4f}\t{0.8 / s / n:.4f}\n")
PY

$plot --help | grep -q "qgen-plot all DIR"
$plot loss runs/a1.h5 runs/a2.h5 --labels "ansatz 1" "ansatz 2" -o figures/loss
$plot loss runs/qinn.h5 -o figures/loss-qinn
$plot hist runs/a1.h5 runs/a2.h5 -o figures/hist
$plot hist runs/a1-eval.h5 --log -o figures/hist-eval.png
$plot corr runs/a1.h5 -o figures/corr
$plot corr runs/a1-eval.h5 -o figures/corr-eval
$plot lcd runs/lcd-a1.h5 runs/lcd-a2.h5 --labels "ansatz 1" "ansatz 2" -o figures/lcd
$plot qinn runs/qinn.h5 --compare "QINN again=runs/qinn.h5" -o figures/qinn
$plot scaling runs/scaling.tsv -o figures/scaling
$plot study runs/size.h5 -o figures/study
$plot all runs -o figures/all | tee all.log
# all: a figure of each kind from the folder (hist and corr of the eval output too).
for f in loss loss-qinn lcd hist-a1 hist-a2 hist-a1-eval corr-a1 corr-a1-eval qinn-qinn \
         qinn-qinn-correlations corr-qinn scaling-scaling study-size; do
  grep -q "wrote figures/all/$f.png" all.log || { echo "all did not write $f"; exit 1; }
done

/usr/bin/python3 - <<'PY'
import glob
import os

import matplotlib.image as mpimg
import numpy as np

pngs = sorted(glob.glob("figures/**/*.png", recursive=True))
assert len(pngs) == 11 + 14, pngs  # the commands above, then all
for png in pngs:
    image = mpimg.imread(png)
    height, width = image.shape[:2]
    assert width >= 300 and height >= 200, (png, image.shape)
    assert float(np.var(image[..., :3])) > 1e-3, (png, "blank")
    pdf = png[:-4] + ".pdf"
    with open(pdf, "rb") as f:
        assert f.read(4) == b"%PDF", pdf
leftovers = [p for p in glob.glob("figures/**/.*", recursive=True)]
assert not leftovers, leftovers
print(f"{len(pngs)} figures: PNG and PDF as expected")
PY

# Bad input: exit 2, one line naming the file, nothing written.
set +e
expect_error() {
  local pattern=$1; shift
  local message
  message=$($plot "$@" 2>&1 >/dev/null)
  local rc=$?
  if [[ $rc != 2 || $(wc -l <<<"$message") != 1 || ! $message =~ $pattern ]]; then
    echo "qgen-plot $*: exit $rc, message '$message' (expected 2 and /$pattern/)"; exit 1
  fi
}
expect_error "file 'nowhere.h5' does not exist" loss nowhere.h5 -o figures/x
expect_error "'runs/scaling.tsv' is not an HDF5 file" hist runs/scaling.tsv -o figures/x
expect_error "'runs/a1.h5' is not a study file of qgen study" study runs/a1.h5 -o figures/x
expect_error "'runs/qinn.h5' is neither a results file of qgen train" hist runs/qinn.h5 -o figures/x
expect_error "'runs/a1.h5' is not a layer-wise coordinate descent file" lcd runs/a1.h5 -o figures/x
expect_error "'runs/a1.h5' is not a results file of qgen qinn train" qinn runs/a1.h5 -o figures/x
expect_error "'runs/a1.h5' is not a table of tools/scaling-table.py" scaling runs/a1.h5 -o figures/x
expect_error "'a1-ckpt.h5' is not a results file of qgen train or qgen qinn train, nor an output of qgen eval" corr a1-ckpt.h5 -o figures/x
expect_error "output folder '/nonexistent' does not exist" loss runs/a1.h5 -o /nonexistent/x
expect_error "folder 'nowhere' does not exist" all nowhere -o figures/y
test ! -e figures/x.png && test ! -e figures/x.pdf || { echo "a failed command wrote figures/x"; exit 1; }
echo "qgen-plot: every figure kind drawn, bad inputs refused"
