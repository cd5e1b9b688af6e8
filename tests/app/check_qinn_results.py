"""Checks a QINN results file's layout (qinn/results.hpp) in h5py:
check_qinn_results.py FILE EPOCHS PARAMETERS SAMPLES"""
import sys

import h5py
import numpy as np

path, epochs, parameters, samples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
with h5py.File(path, "r") as f:
    assert f.attrs["qgen_qinn_results"] == 1
    for name in ["config", "history/epoch", "history/learning_rate", "history/train/total",
                 "history/validation/input_mmd", "history/validation/invertibility",
                 "model/parameters", "model/final_parameters", "model/scaling/low",
                 "model/scaling/high", "samples", "test/events", "test/reconstructed",
                 "test/log_density", "metrics/test_loss/total", "metrics/invertibility_deviation",
                 "metrics/invertibility_deviation_scaled", "metrics/test_log_density_mean"]:
        assert name in f, name
    assert list(f["history/epoch"][:]) == list(range(1, epochs + 1)), f["history/epoch"][:]
    assert f["model/parameters"].shape == (parameters,)
    assert f["samples"].shape == (samples, 7), f["samples"].shape
    columns = [c.decode() if isinstance(c, bytes) else c for c in f["samples"].attrs["columns"]]
    assert columns == ["pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus", "M_ll", "delta_R_ll"]
    test, rec = f["test/events"][:], f["test/reconstructed"][:]
    assert rec.shape == (test.shape[0], 5) and f["test/log_density"].shape == (test.shape[0],)
    # The stored deviation is the definition applied to the stored events.
    x, xh = test[:, :5], rec
    keep = x != 0
    dev = np.abs((xh[keep] - x[keep]) / x[keep]).mean()
    assert abs(dev - f["metrics/invertibility_deviation"][()]) < 1e-9 * max(1, dev), (dev, f["metrics/invertibility_deviation"][()])
    best = f.attrs["best_epoch"]
    val = f["history/validation/total"][:]
    assert val[best - 1] == val.min()
    assert np.isfinite(f["samples"][:]).all() and np.isfinite(f["test/log_density"][:]).all()
    assert "[model]" in f["config"][()].decode()
print("QINN results layout ok:", path)
