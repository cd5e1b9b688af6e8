#!/usr/bin/python3
"""The table of a scaling study (jobs/scaling.sbatch): for each results file of qgen train, the
number of ranks (the file's `ranks` attribute), the circuit's parameters, the median time per
step (/history/seconds without step 0; the first steps of a run are slower on some machines, so
the median, not the mean), the speed-up and the parallel efficiency against the run with the
fewest ranks:
    strong  speed-up = T(n0) / T(n),  efficiency = speed-up * n0 / n
    weak    efficiency = T(n0) / T(n)   (the work per rank is fixed)

    tools/scaling-table.py [--mode strong|weak] [--output table.tsv] RESULTS.h5 ...
"""
import argparse
import os
import sys

import h5py
import numpy as np


def run_figures(path):
    try:
        with h5py.File(path, "r") as f:
            ranks = int(f.attrs["ranks"])
            seconds = np.asarray(f["history/seconds"][1:], dtype=float)
            parameters = int(f["params"].shape[0])
    except (OSError, KeyError) as e:
        sys.exit(f"scaling-table: '{path}' is not a results file of qgen train ({e})")
    if seconds.size == 0:
        sys.exit(f"scaling-table: '{path}' holds no training steps")
    return ranks, parameters, float(np.median(seconds))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=("strong", "weak"), default="strong")
    p.add_argument("--output", help="also write the table as tab-separated text")
    p.add_argument("results", nargs="+")
    a = p.parse_args()
    runs = sorted(run_figures(r) for r in a.results)
    n0, _, t0 = runs[0]
    header = ("ranks", "parameters", "seconds_per_step", "speed_up", "efficiency")
    rows = []
    for n, parameters, t in runs:
        speed_up = t0 / t if a.mode == "strong" else (t0 / t) * n / n0
        efficiency = speed_up * n0 / n
        rows.append((n, parameters, t, speed_up, efficiency))
    print(f"{a.mode} scaling, medians of each run's steps")
    print(f"{'ranks':>6} {'parameters':>10} {'s/step':>10} {'speed-up':>9} {'efficiency':>10}")
    for n, parameters, t, s, e in rows:
        print(f"{n:>6} {parameters:>10} {t:>10.4f} {s:>9.2f} {100 * e:>9.1f}%")
    if a.output:
        tmp = f"{a.output}.tmp.{os.getpid()}"
        with open(tmp, "w") as f:
            f.write("\t".join(header) + "\n")
            for r in rows:
                f.write(f"{r[0]}\t{r[1]}\t{r[2]:.6g}\t{r[3]:.4f}\t{r[4]:.4f}\n")
        os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
