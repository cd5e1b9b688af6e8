"""Checks a qgen results file's layout (DESIGN.md) in h5py: check_results.py FILE STEPS PARAMS"""
import sys

import h5py
import numpy as np

path, steps, params = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with h5py.File(path, "r") as f:
    for name in ["config", "history/step", "history/loss", "history/grad_norm", "history/seconds",
                 "params", "target/probs", "target/bin_edges", "model/probs", "samples",
                 "metrics/js", "metrics/mae", "metrics/correlation/data",
                 "metrics/correlation/samples"]:
        assert name in f, name
    assert list(f["history/step"][:]) == list(range(steps + 1)), f["history/step"][:]
    assert f["params"].shape == (params,)
    target, model = f["target/probs"][:], f["model/probs"][:]
    assert abs(target.sum() - 1) < 1e-12 and abs(model.sum() - 1) < 1e-12
    # The stored JS is the paper's formula applied to the stored distributions.
    m = (target + model) / 2
    def term(p):
        nz = p > 0
        return np.sum(p[nz] * np.log(p[nz] / m[nz]))
    assert abs(0.5 * (term(target) + term(model)) - f["metrics/js"][()]) < 1e-12
    edges = f["target/bin_edges"]
    features = [x.decode() if isinstance(x, bytes) else x for x in edges.attrs["features"]]
    assert f["samples"].shape[1] == len(features) == edges.shape[0]
    samples = f["samples"][:]
    for k in range(len(features)):  # every decoded value inside the binning's range
        assert edges[k, 0] <= samples[:, k].min() and samples[:, k].max() <= edges[k, -1]
    config = f["config"][()].decode()
    assert "[train]" in config
    # /config holds what was trained: the features and each one's range, resolved from the data
    # when the options left them to it, exactly equal to the outer bin edges.
    encoding = dict(line.split(" = ", 1) for line in
                    config.split("[encoding]\n")[1].split("[")[0].splitlines() if " = " in line)
    assert encoding["features"] == ",".join(features), encoding
    ranges = [r.split(":") for r in encoding["ranges"].split(",")]
    for k, (name, low, high) in enumerate(ranges):
        assert name == features[k] and float(low) == edges[k, 0] and float(high) == edges[k, -1], ranges[k]
print("results layout ok:", path)
