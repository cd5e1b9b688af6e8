"""Checks a qgen eval output against its results file in h5py: check_eval.py EVAL RESULTS [DATA]

Recomputes from the results file (and the data events when given), independently of qgen:
the samples' binned JS and D, the histograms, the correlation chain, and the per-feature KS
statistics. Runs with quantile decoding (/target/bin_quantiles, /target/state_quantiles) are
checked with their decoder's moments and CDF: piecewise linear through the quantiles.
"""
import sys

import h5py
import numpy as np

eval_path, results_path = sys.argv[1], sys.argv[2]
data_path = sys.argv[3] if len(sys.argv) > 3 else None


def names(attr):
    return [x.decode() if isinstance(x, bytes) else x for x in attr]


def js(p, q):
    m = (p + q) / 2
    return 0.5 * sum(np.sum(a[a > 0] * np.log(a[a > 0] / m[a > 0])) for a in (p, q))


with h5py.File(results_path, "r") as r, h5py.File(eval_path, "r") as e:
    edges = r["target/bin_edges"][:]
    features = names(r["target/bin_edges"].attrs["features"])
    nf, nb = edges.shape[0], edges.shape[1] - 1
    samples, target = r["samples"][:], r["target/probs"][:]
    n = samples.shape[0]
    # Bin indices (last bin closed), feature 0 on the most significant bits.
    bins = [np.clip(np.searchsorted(edges[k], samples[:, k], side="right") - 1, 0, nb - 1) for k in range(nf)]
    state = np.zeros(n, dtype=np.int64)
    for k in range(nf):
        state = state * nb + bins[k]
    sampled = np.bincount(state, minlength=nb ** nf) / n
    assert abs(e["metrics/js_samples"][()] - js(target, sampled)) < 1e-10
    shape = [nb] * nf
    mae = sum(np.abs(target.reshape(shape).sum(axis=tuple(j for j in range(nf) if j != k)) -
                     sampled.reshape(shape).sum(axis=tuple(j for j in range(nf) if j != k))).sum()
              for k in range(nf)) / (nf * nb)
    assert abs(e["metrics/mae_samples"][()] - mae) < 1e-12, (e["metrics/mae_samples"][()], mae)
    assert abs(e["metrics/mae_error"][()] - 1 / np.sqrt(n)) < 1e-15
    assert abs(e["metrics/js_model"][()] - r["metrics/js"][()]) < 1e-12
    assert abs(e["metrics/mae_model"][()] - r["metrics/mae"][()]) < 1e-12
    assert names(e["correlation"].attrs["columns"]) == features == names(e["ks"].attrs["features"])
    assert np.allclose(e["correlation/samples"][:], np.corrcoef(samples.T), atol=1e-12)
    # Histograms: marginals of target, model and samples, ratio samples / target.
    model = r["model/probs"][:]
    assert np.allclose(e["histograms/edges"][:], edges, rtol=0, atol=0)
    for name, p in (("target", target), ("model", model), ("samples", sampled)):
        for k in range(nf):
            marginal = p.reshape(shape).sum(axis=tuple(j for j in range(nf) if j != k))
            assert np.allclose(e["histograms/" + name][k], marginal, atol=1e-14), name
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = e["histograms/samples"][:] / e["histograms/target"][:]
    assert np.allclose(e["histograms/ratio"][:], ratio, atol=1e-12, equal_nan=True)
    # The chain's binned steps: numpy's weighted covariance at the bin centres, and decoded: the
    # covariance of the per-state decoded means plus the mean in-state variance on the diagonal
    # (uniform: the centres and w^2/12).
    centres = [(edges[k][1:] + edges[k][:-1]) / 2 for k in range(nf)]
    widths = [edges[k][1:] - edges[k][:-1] for k in range(nf)]
    grid = np.array(np.meshgrid(*centres, indexing="ij")).reshape(nf, -1)
    width_grid = np.array(np.meshgrid(*widths, indexing="ij")).reshape(nf, -1)
    # Per state and feature, the decoder's quantiles [states, nf, K] (None: uniform decoding).
    quantiles = None
    if "target/state_quantiles" in r:
        quantiles = r["target/state_quantiles"][:]
    elif "target/bin_quantiles" in r:
        per_bin = r["target/bin_quantiles"][:]
        bin_grid = np.array(np.meshgrid(*[np.arange(nb)] * nf, indexing="ij")).reshape(nf, -1)
        quantiles = np.stack([per_bin[k][bin_grid[k]] for k in range(nf)], axis=1)
    if quantiles is None:
        decoded_mean, decoded_var = grid, width_grid ** 2 / 12
    else:  # uniform on each segment [q_j, q_j+1], probability 1/(K-1) each
        a, b = quantiles[:, :, :-1], quantiles[:, :, 1:]
        decoded_mean = ((a + b) / 2).mean(axis=2).T
        decoded_var = ((a * a + a * b + b * b) / 3).mean(axis=2).T - decoded_mean ** 2
    for name, p in (("bins", target), ("model", model)):
        cov = np.cov(grid, aweights=p, bias=True)
        assert np.allclose(e["correlation/" + name][:], cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov))), atol=1e-10)
        cov = np.cov(decoded_mean, aweights=p, bias=True) + np.diag(decoded_var @ p)
        assert np.allclose(e["correlation/" + name + "_decoded"][:],
                           cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov))), atol=1e-10)
    steps = names(e["correlation"].attrs["steps"])
    assert steps == ["events", "bins", "bins_decoded", "model", "model_decoded", "samples"], steps
    statistic = e["ks/statistic"][:]
    if data_path is None:
        assert np.allclose(e["correlation/events"][:], r["metrics/correlation/data"][:], atol=1e-15)
        for k in range(nf):  # against the target's marginal spread over each bin as decoded
            marginal = target.reshape(shape).sum(axis=tuple(j for j in range(nf) if j != k))
            x = np.sort(samples[:, k])
            if quantiles is None:
                cdf = np.interp(x, edges[k], np.concatenate([[0], np.cumsum(marginal)]))
            else:  # sum over states of P(s) times the state's piecewise-linear CDF
                levels = np.linspace(0, 1, quantiles.shape[2])
                cdf = sum(p * np.interp(x, quantiles[s, k], levels) for s, p in enumerate(target) if p > 0)
            d = max(np.max(np.arange(1, n + 1) / n - cdf), np.max(cdf - np.arange(n) / n))
            assert abs(statistic[k] - d) < 1e-12, (k, statistic[k], d)
        assert e["ks"].attrs["reference"] in ("target distribution", b"target distribution")
    else:
        with h5py.File(data_path, "r") as d:
            columns = names(d["events"].attrs["columns"])
            events = d["events"][:][:, [columns.index(f) for f in features]]
        assert np.allclose(e["correlation/events"][:], np.corrcoef(events.T), atol=1e-12)
        m = events.shape[0]
        for k in range(nf):  # largest gap of the two empirical distributions over the pooled values
            a, b = np.sort(samples[:, k]), np.sort(events[:, k])
            pooled = np.concatenate([a, b])
            d = np.max(np.abs(np.searchsorted(a, pooled, side="right") / n -
                              np.searchsorted(b, pooled, side="right") / m))
            assert abs(statistic[k] - d) < 1e-12, (k, statistic[k], d)
        assert np.allclose(e["ks/effective_count"][:], n * m / (n + m))
    assert np.all((e["ks/p_value"][:] >= 0) & (e["ks/p_value"][:] <= 1))
    if "resampled" in e:  # --repetitions: finite samples of the model against the reference
        values, shots = e["resampled/js"][:], e["resampled"].attrs["shots"]
        assert np.isclose(e["metrics/js_resampled_mean"][()], values.mean(), rtol=1e-12, atol=0)
        assert np.isclose(e["metrics/js_resampled_std"][()], values.std(ddof=1), rtol=1e-12, atol=0)
        reference = target
        if data_path is not None:  # the data events binned with the run's edges (outside: left out)
            inside = np.all((events >= edges[:, 0]) & (events <= edges[:, -1]), axis=1)
            state = np.zeros(np.count_nonzero(inside), dtype=np.int64)
            for k in range(nf):
                state = state * nb + np.clip(np.searchsorted(edges[k], events[inside, k], side="right") - 1, 0, nb - 1)
            reference = np.bincount(state, minlength=nb ** nf) / state.size
        # Mean = exact JS plus the finite-sample bias, at most (K - 1) / (8 N) for small deviations.
        bias = (nb ** nf - 1) / (8 * shots)
        assert abs(values.mean() - js(reference, model) - bias / 2) < bias / 2 + 4 * values.std(ddof=1), \
            (values.mean(), js(reference, model), bias)
print("eval output ok:", eval_path)
