#!/usr/bin/env bash
# The classical INN baseline (tools/inn-baseline.py) and the zll table (tools/zll-table.py):
# the coupling self-test, a 1-epoch INN on a 2000-event zjet file, a 1-epoch tiny QINN on the
# same events, and the table scoring both against the test split; output shapes checked.
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
# The QINN's own split of the same generated events (seed 1) is the test split above.
mpiexec -n 2 --oversubscribe "$qgen" qinn train data.events=2000 model.layers=2 model.isp-layers=1 \
  model.network-hidden=8 model.chunk=8 train.epochs=1 --quiet results=inn-qinn.h5 checkpoint=inn-qinn-ckpt.h5
/usr/bin/python3 "$source/tools/zll-table.py" --test inn-test.h5 --output inn-table.md \
  "INN small=inn-small.h5" "QINN=inn-qinn.h5"

/usr/bin/python3 - <<'PY'
import h5py
with h5py.File("inn-small.h5", "r") as f:
    samples = f["samples"]
    assert samples.shape == (1000, 7), samples.shape
    names = [c.decode() for c in samples.attrs["columns"]]
    assert names == ["pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus", "M_ll", "delta_R_ll"], names
    assert f.attrs["parameters"] == 2058 and f.attrs["best_epoch"] == 1, dict(f.attrs)
    assert f["history/validation_loss"].shape == (1,)
lines = open("inn-table.md").read().splitlines()
assert len(lines) == 5, lines  # header, rule, truth, INN, QINN
assert lines[3].startswith("| INN small (INN) | 2058 |") and lines[4].startswith("| QINN (QINN) |"), lines
assert all(line.count("|") == 11 for line in lines), lines
print("INN baseline and zll table: shapes and rows as expected")
PY
