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


def score_rows(test, generators):
    """Markdown lines: the test split's own M_ll figures, then one row per generator."""
    header = ["model", "parameters", "M_ll peak [GeV]", "M_ll FWHM [GeV]", "JS delta_R_ll"] + \
             [f"JS {c}" for c in COLUMNS[:5]]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    peak, width = mass_peak_and_fwhm(test[:, 5])
    lines.append(f"| test split (truth) | - | {peak:.2f} | {width:.2f} |" + " - |" * 6)
    for label, (samples, parameters, kind) in generators.items():
        peak, width = mass_peak_and_fwhm(samples[:, 5])
        js = [binned_js(samples[:, i], test[:, i]) for i in (6, 0, 1, 2, 3, 4)]
        lines.append(f"| {label} ({kind}) | {parameters} | {peak:.2f} | {width:.2f} | " +
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
