#!/usr/bin/env bash
# eval_other_samples.sh QGEN DIR: qgen eval on samples that are not a results file's own.
set -euo pipefail
qgen=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
expect=$here/expect.sh
rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"

"$qgen" data --generate dijet --events 3000 --seed 5 --output data.h5 >/dev/null
"$qgen" data --generate dijet --events 2000 --seed 9 --columns pT,mass --output other.h5 >/dev/null

# Samples against data events, 8 bins per feature: no model, the binning made from the data.
mpiexec -n 2 --oversubscribe "$qgen" eval --samples other.h5 --data data.h5 --encoding.features pT,mass \
  --encoding.qubits-per-feature 3 --output other-eval.h5 | tee out.txt
grep -q 'against 3000 data events' out.txt
! grep -q 'exact model' out.txt
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("other-eval.h5") as e, h5py.File("data.h5") as d, h5py.File("other.h5") as s:
    cols = [c.decode() if isinstance(c, bytes) else c for c in d["events"].attrs["columns"]]
    events = d["events"][:][:, [cols.index("pT"), cols.index("mass")]]
    samples = s["events"][:]
    assert "model" not in e["histograms"] and "js_model" not in e["metrics"]
    assert list(e["correlation"].attrs["steps"]) == ["events", "bins", "bins_decoded", "samples"]
    edges = e["histograms/edges"][:]
    assert edges.shape == (2, 9)
    assert np.allclose(edges[:, 0], events.min(axis=0)) and np.allclose(edges[:, -1], events.max(axis=0))
    # Target: the data's histogram over the bins; samples: theirs, over the samples inside.
    for k in range(2):
        h, _ = np.histogram(events[:, k], bins=edges[k])
        assert np.allclose(e["histograms/target"][k], h / h.sum(), atol=1e-14)
    inside = np.all((samples >= edges[:, 0]) & (samples <= edges[:, -1]), axis=1)
    assert e.attrs["samples_outside"] == np.count_nonzero(~inside)
    for k in range(2):
        h, _ = np.histogram(samples[inside, k], bins=edges[k])
        assert np.allclose(e["histograms/samples"][k], h / h.sum(), atol=1e-14)
    assert np.allclose(e["correlation/samples"][:], np.corrcoef(samples.T), atol=1e-12)
print("other generator's samples scored as expected")
PY

# Bad samples: a NaN, a missing column, a results file without samples, encoding options that
# would contradict a results file's binning.
printf 'pT,mass\n300,50\nnan,60\n' >nan.csv
"$expect" 2 "nan.csv.*'pT'.*not finite" --absent bad1.h5 -- \
  mpiexec -n 2 --oversubscribe "$qgen" eval --samples nan.csv --data data.h5 --output bad1.h5
printf 'pT,eta\n300,0.5\n' >columns.csv
"$expect" 2 "mass" --absent bad2.h5 -- "$qgen" eval --samples columns.csv --data data.h5 --encoding.features pT,mass --output bad2.h5
"$expect" 2 "is not a qgen results file" --absent bad3.h5 -- "$qgen" eval --results data.h5 --samples other.h5 --output bad3.h5
"$expect" 2 "encoding.qubits-per-feature: the binning of" --absent bad4.h5 -- \
  "$qgen" eval --results data.h5 --encoding.qubits-per-feature 3 --output bad4.h5
# The resampled JS needs an exact model: another generator's samples have none.
"$expect" 2 "repetitions samples the exact model" --absent bad5.h5 -- \
  "$qgen" eval --samples other.h5 --data data.h5 --encoding.features pT,mass --repetitions 10 --output bad5.h5
