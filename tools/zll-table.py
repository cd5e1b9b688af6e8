#!/usr/bin/python3
"""Scores zll generators against the test split, the same way for all: one markdown table.

  zll-table.py --test test.h5 [--output table.md] LABEL=FILE ...

FILE is either a QINN results file of `qgen qinn train` (include/qgen/qinn/results.hpp:
/samples [N, 7], /test/events, /model/parameters) or an INN baseline file of
tools/inn-baseline.py (/samples [N, 7], attribute parameters). The test split is an HDF5 table
of `qgen data` (dataset events, attribute columns). For a QINN file, its /test/events must
have as many rows as the test split (checked: both should be the same split).

Columns of the table:
- M_ll peak and FWHM [GeV]: histogram of M_ll with 0.5 GeV bins on [50, 150] GeV (the lepton
  cuts' range); peak = centre of the fullest bin; FWHM = distance between the half-maximum
  crossings found walking outward from that bin, interpolated linearly between bin centres.
- JS: binned Jensen-Shannon divergence (log base 2, so in [0, 1]) of samples against the test
  split, 50 equal bins between the test split's minimum and maximum of that column, samples
  outside them counted in the first or last bin; for delta_R_ll and each of the five features.
- MMD^2 (x 1e3): the unbiased squared maximum mean discrepancy (U-statistic, diagonal terms
  left out) between a fixed subsample of the model's samples and one of the test split, on the
  five features each scaled to [0, pi] with the test split's minimum and maximum (the QINN's
  input scale, so that the widths mean what they do in its training), with the sum of Gaussian
  kernels of paper 004's widths, k(x, y) = sum_s exp(-|x - y|^2 / (2 s^2)), s in 0.02, 0.1,
  0.4, 1, 5. Subsamples: MMD_EVENTS rows of each, chosen by a fixed seed (numpy
  default_rng(MMD_SEED).permutation: the test split's first MMD_EVENTS rows of one permutation,
  the model's first MMD_EVENTS of another), the same for every model. The truth row holds the
  noise floor: the same statistic between two disjoint test subsamples (the test split's next
  MMD_EVENTS rows of its permutation). Unbiased, so it scatters around 0 for a perfect model.
- parameters: the model's trainable parameter count.
"""
import argparse
import os
import sys

import h5py
import numpy as np

COLUMNS = ["pT_plus", "pT_minus", "delta_phi", "eta_plus", "eta_minus", "M_ll", "delta_R_ll"]
MASS_BINS = np.arange(50.0, 150.0 + 0.25, 0.5)
JS_BINS = 50
MMD_WIDTHS = (0.02, 0.1, 0.4, 1.0, 5.0)
MMD_EVENTS = 4000
MMD_SEED = 20240


def column_names(dataset):
    return [c.decode() if isinstance(c, bytes) else str(c) for c in dataset.attrs["columns"]]


def table(dataset, path):
    """[N, 7] in COLUMNS order from an HDF5 dataset with attribute columns."""
    names = column_names(dataset)
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        sys.exit(f"zll-table: '{path}' {dataset.name} has no column(s) {', '.join(missing)}")
    data = dataset[()]
    return data[:, [names.index(c) for c in COLUMNS]]


def read_generator(path, test_rows):
    """(samples [N, 7], parameter count, kind)."""
    if not os.path.isfile(path):
        sys.exit(f"zll-table: '{path}' does not exist")
    with h5py.File(path, "r") as f:
        if "samples" not in f:
            sys.exit(f"zll-table: '{path}' has no /samples (not a QINN or INN results file)")
        samples = table(f["samples"], path)
        if f.attrs.get("qgen_qinn_results") is not None:
            rows = f["test/events"].shape[0]
            if rows != test_rows:
                sys.exit(f"zll-table: '{path}' /test/events has {rows} rows, the test split {test_rows}")
            return samples, f["model/parameters"].shape[0], "QINN"
        if "parameters" in f.attrs:
            return samples, int(f.attrs["parameters"]), "INN"
    sys.exit(f"zll-table: '{path}' is neither a QINN results file nor an INN baseline file")


def mass_peak_and_fwhm(mass):
    counts, _ = np.histogram(mass, bins=MASS_BINS)
    centres = 0.5 * (MASS_BINS[1:] + MASS_BINS[:-1])
    peak = int(np.argmax(counts))
    half = counts[peak] / 2

    def crossing(step):
        i = peak
        while 0 <= i + step < len(counts) and counts[i + step] >= half:
            i += step
        if not 0 <= i + step < len(counts):
            return centres[i]  # no crossing inside the window: its edge bin
        j = i + step  # counts[i] >= half > counts[j]
        return centres[i] + (centres[j] - centres[i]) * (counts[i] - half) / (counts[i] - counts[j])

    return centres[peak], crossing(+1) - crossing(-1)


def binned_js(sample, reference):
    edges = np.linspace(reference.min(), reference.max(), JS_BINS + 1)
    p = np.histogram(np.clip(reference, edges[0], edges[-1]), bins=edges)[0].astype(float)
    q = np.histogram(np.clip(sample, edges[0], edges[-1]), bins=edges)[0].astype(float)
    p, q = p / p.sum(), q / q.sum()
    m = 0.5 * (p + q)

    def kl(a):
        nonzero = a > 0
        return np.sum(a[nonzero] * np.log2(a[nonzero] / m[nonzero]))

    return 0.5 * kl(p) + 0.5 * kl(q)


def gaussian_kernel_sum(a, b, exclude_diagonal):
    """sum_ij k(a_i, b_j) (Gaussian kernels of MMD_WIDTHS), in row blocks; without i = j when
    exclude_diagonal (a is b)."""
    total = 0.0
    b2 = (b ** 2).sum(1)
    for first in range(0, len(a), 1000):
        block = a[first:first + 1000]
        d2 = np.maximum((block ** 2).sum(1)[:, None] + b2[None, :] - 2 * block @ b.T, 0.0)
        k = sum(np.exp(-d2 / (2 * s * s)) for s in MMD_WIDTHS)
        if exclude_diagonal:
            rows = np.arange(len(block))
            k[rows, first + rows] = 0.0
        total += k.sum()
    return total


def unbiased_mmd2(x, y):
    n, m = len(x), len(y)
    return (gaussian_kernel_sum(x, x, True) / (n * (n - 1)) + gaussian_kernel_sum(y, y, True) / (m * (m - 1))
            - 2 * gaussian_kernel_sum(x, y, False) / (n * m))


class MmdScore:
    """The MMD column: a fixed test subsample, features scaled to [0, pi] by the test split."""

    def __init__(self, test):
        self.low, self.high = test[:, :5].min(0), test[:, :5].max(0)
        order = np.random.default_rng(MMD_SEED).permutation(len(test))
        self.events = min(MMD_EVENTS, len(test) // 2)
        self.reference = self.scale(test[order[:self.events]])
        self.floor_sample = self.scale(test[order[self.events:2 * self.events]])

    def scale(self, rows):
        return np.pi * (rows[:, :5] - self.low) / (self.high - self.low)

    def floor(self):
        return unbiased_mmd2(self.reference, self.floor_sample)

    def __call__(self, samples):
        order = np.random.default_rng(MMD_SEED + 1).permutation(len(samples))
        return unbiased_mmd2(self.reference, self.scale(samples[order[:self.events]]))


def score_rows(test, generators):
    """Markdown lines: the test split's own M_ll figures, then one row per generator."""
    header = ["model", "parameters", "M_ll peak [GeV]", "M_ll FWHM [GeV]", "MMD^2 x 1e3",
              "JS delta_R_ll"] + [f"JS {c}" for c in COLUMNS[:5]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    mmd = MmdScore(test)
    peak, width = mass_peak_and_fwhm(test[:, 5])
    lines.append(f"| test split (truth) | - | {peak:.2f} | {width:.2f} | {1e3 * mmd.floor():.3f} (floor) |" +
                 " - |" * 6)
    for label, (samples, parameters, kind) in generators.items():
        peak, width = mass_peak_and_fwhm(samples[:, 5])
        js = [binned_js(samples[:, i], test[:, i]) for i in (6, 0, 1, 2, 3, 4)]
        lines.append(f"| {label} ({kind}) | {parameters} | {peak:.2f} | {width:.2f} | {1e3 * mmd(samples):.3f} | " +
                     " | ".join(f"{v:.4f}" for v in js) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--test", required=True, help="the test split (qgen data --split test)")
    parser.add_argument("--output", help="also write the table to this file")
    parser.add_argument("models", nargs="+", metavar="LABEL=FILE")
    args = parser.parse_args()
    if not os.path.isfile(args.test):
        sys.exit(f"zll-table: test split '{args.test}' does not exist")
    with h5py.File(args.test, "r") as f:
        if "events" not in f:
            sys.exit(f"zll-table: '{args.test}' has no events table")
        test = table(f["events"], args.test)
    generators = {}
    for item in args.models:
        label, _, path = item.rpartition("=")
        generators[label or path] = read_generator(path, len(test))
    lines = score_rows(test, generators)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.output:
        with open(args.output, "w") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
