#!/usr/bin/env bash
# The classical INN baseline (tools/inn-baseline.py) and the zll table (tools/zll-table.py):
# the coupling self-test (affine and spline, hard and soft permutations, the M_ll MMD), a
# 1-epoch affine INN and a 1-epoch spline INN (soft permutations, M_ll MMD) on a 2000-event
# zjet file, a 1-epoch tiny QINN on the same events, and the table scoring all three against
# the test split; output shapes checked, and the table's MMD against a brute-force double loop.
# Exits 77 (skipped) when Debian's python3-torch is missing.
# usage: inn_baseline.sh QGEN SOURCE_DIR OUTDIR
set -u
qgen=$1 source=$2 out=$3
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "python3-torch missing: skipped"; exit 77; }
mkdir -p "$out" && cd "$out" && rm -f inn-*.h5 inn-table.md
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
set -e

/usr/bin/python3 "$source/tools/inn-baseline.py" --self-test
"$qgen" data --generate zjet --events 2000 --output inn-all.h5 >/dev/null
for split in train validation test; do
  "$qgen" data --input inn-all.h5 --split $split --output inn-$split.h5 >/dev/null
done
/usr/bin/python3 "$source/tools/inn-baseline.py" --train inn-train.h5 --validation inn-validation.h5 \
  --test inn-test.h5 --size small --epochs 1 --output inn-small.h5
/usr/bin/python3 "$source/tools/inn-baseline.py" --train inn-train.h5 --validation inn-validation.h5 \
  --test inn-test.h5 --size small --coupling spline --permutation soft --epochs 1 --output inn-spline.h5
# The QINN's own split of the same generated events (seed 1) is the test split above.
mpiexec -n 2 --oversubscribe "$qgen" qinn train data.events=2000 model.layers=2 model.isp-layers=1 \
  model.network-hidden=8 model.chunk=8 train.epochs=1 --quiet results=inn-qinn.h5 checkpoint=inn-qinn-ckpt.h5
/usr/bin/python3 "$source/tools/zll-table.py" --test inn-test.h5 --output inn-table.md \
  "INN small=inn-small.h5" "QINN=inn-qinn.h5" "spline=inn-spline.h5"

SOURCE="$source" /usr/bin/python3 - <<'PY'
import h5py, importlib.util, math, os
import numpy as np
with h5py.File("inn-small.h5", "r") as f:
    samples = f["samples"]
    assert samples.shape == (1000, 7), samples.shape
    names = [c.decode() for c in samples.attrs["columns"]]
    assert names == ["pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus", "M_ll", "delta_R_ll"], names
    assert f.attrs["parameters"] == 2058 and f.attrs["best_epoch"] == 1, dict(f.attrs)
    assert f["history/validation_loss"].shape == (1,)
with h5py.File("inn-spline.h5", "r") as f:
    assert f["samples"].shape == (1000, 7), f["samples"].shape
    assert f.attrs["parameters"] == 2136 and f.attrs["bins"] == 5 and f.attrs["permutation"] == "soft", dict(f.attrs)
    assert f.attrs["mass_mmd"] == 0.5 and f["history/train_mass_mmd"][0] > 0, dict(f.attrs)
lines = open("inn-table.md").read().splitlines()
assert len(lines) == 6, lines  # header, rule, truth, INN, QINN, spline INN
assert lines[3].startswith("| INN small (INN) | 2058 |") and lines[4].startswith("| QINN (QINN) |"), lines
assert lines[5].startswith("| spline (INN) | 2136 |"), lines
assert all(line.count("|") == 12 for line in lines), lines
# The table's unbiased Gaussian-kernel MMD^2 against the double sum written out.
spec = importlib.util.spec_from_file_location("table", os.path.join(os.environ["SOURCE"], "tools/zll-table.py"))
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)
rng = np.random.default_rng(5)
x, y = rng.uniform(0, 3, (7, 5)), rng.uniform(0.2, 3, (6, 5))
k = lambda a, b: sum(math.exp(-sum((a - b) ** 2) / (2 * s * s)) for s in (0.02, 0.1, 0.4, 1, 5))
xx = sum(k(x[i], x[j]) for i in range(7) for j in range(7) if i != j) / 42
yy = sum(k(y[i], y[j]) for i in range(6) for j in range(6) if i != j) / 30
xy = sum(k(a, b) for a in x for b in y) / 42
assert abs(table.unbiased_mmd2(x, y) - (xx + yy - 2 * xy)) < 1e-12, (table.unbiased_mmd2(x, y), xx + yy - 2 * xy)
print("INN baseline and zll table: shapes and rows as expected")
PY
