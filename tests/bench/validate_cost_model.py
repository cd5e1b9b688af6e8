#!/usr/bin/python3
"""Validates the step cost model (docs/cost-model.md) against real `qgen train` runs.

  /usr/bin/python3 tests/bench/validate_cost_model.py --build build/release \
      --calibration cost-calibration.json [--repeats 3] [--counts]

1. Time per step: trains the paper's 8-qubit (inputs/qcbm-2d-a1-zero.ini, 8192 shots) and
   12-qubit (inputs/qcbm-3d-a2-zero-20000.ini, 20000 shots, and exact) configurations and a
   16-qubit exact one (simulation-bound) on 1 and 2 ranks,
   takes the median of /history/seconds over steps 2..N of each run and the median over the
   repeats, and prints it beside `qgen cost`'s prediction with the ratio measured / predicted.
2. Communication (--counts): runs the 8-qubit configuration on 4 ranks (--oversubscribe) with
   groups of 1 and 2 under libqgen-mpi-counts.so (the MPI profiling interface), for 2 and 6
   steps; the difference / 4 is one step's calls per rank, printed beside the model's traffic.
Timing is printed, never asserted (benchmarks are programs, not tests).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

import h5py

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")

CONFIGS = [
    # (label, input file, overrides, qubits, ansatz, depth, features, shots)
    ("8q a1 d6, 8192 shots", "inputs/qcbm-2d-a1-zero.ini", (), 8, 1, 6, 2, 8192),
    ("12q a2 d12, 20000 shots", "inputs/qcbm-3d-a2-zero-20000.ini", (), 12, 2, 12, 3, 20000),
    ("12q a2 d12, exact", "inputs/qcbm-3d-a2-zero-20000.ini", ("train.exact=true",), 12, 2, 12, 3, 0),
    ("16q a1 d2, exact", "inputs/qcbm-2d-a1-zero.ini",
     ("circuit.qubits=16", "circuit.depth=2", "train.exact=true"), 16, 1, 2, 2, 0),
]


def train(build, ini, ranks, steps, work, tag, extra=(), preload=None, counts=None):
    results = os.path.join(work, f"{tag}.h5")
    command = ["mpiexec", "-n", str(ranks), "--oversubscribe"]
    if preload:
        command += ["-x", f"LD_PRELOAD={preload}", "-x", "QGEN_MPI_COUNTS"]
    command += [os.path.join(build, "qgen"), "train", "--config", ini, f"train.steps={steps}",
                "data.events=200000", f"results={results}",
                f"checkpoint={os.path.join(work, tag + '-ck.h5')}", *extra]
    env = dict(ENV)
    if counts:
        env["QGEN_MPI_COUNTS"] = counts
    run = subprocess.run(command, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"qgen train failed ({' '.join(command)}):\n{run.stderr}")
    with h5py.File(results, "r") as f:
        return list(f["/history/seconds"][:])


UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6}


def predicted(build, calibration, q, ansatz, depth, features, shots, ranks):
    command = [os.path.join(build, "qgen"), "cost", "--qubits", str(q), "--ansatz", str(ansatz),
               "--depth", str(depth), "--features", str(features), "--shots", str(shots),
               "--ranks", ",".join(map(str, ranks))]
    if calibration:
        command += ["--calibration", calibration]
    out = subprocess.run(command, env=ENV, capture_output=True, text=True, check=True).stdout
    seconds = {}
    for line in out.splitlines():
        m = re.match(r"\s+(\d+) \| ([0-9.]+) (s|ms|us) ", line)
        if m:
            seconds[int(m.group(1))] = float(m.group(2)) * UNITS[m.group(3)]
    return seconds, out


def qgen_cost(build, calibration, q, ansatz, depth, shots, ranks, group_size):
    """The output of `qgen cost` for one allocation and group size."""
    command = [os.path.join(build, "qgen"), "cost", "--qubits", str(q), "--ansatz", str(ansatz),
               "--depth", str(depth), "--shots", str(shots), "--ranks", str(ranks),
               "--group-size", str(group_size)]
    if calibration:
        command += ["--calibration", calibration]
    return subprocess.run(command, env=ENV, capture_output=True, text=True, check=True).stdout


def predicted_group(build, calibration, q, ansatz, depth, shots, ranks, group_size):
    out = qgen_cost(build, calibration, q, ansatz, depth, shots, ranks, group_size)
    m = re.match(r"\s+\d+ \d+ x \d+\s+([0-9.]+) (s|ms|us) ", out.splitlines()[-1])
    return float(m.group(1)) * UNITS[m.group(2)]


def traffic(build, calibration, ranks, group_size):
    out = qgen_cost(build, calibration, 8, 1, 6, 8192, ranks, group_size)
    return out.splitlines()[-2:]


def per_step_counts(build, work, group_size):
    preload = os.path.join(build, "tests", "bench", "libqgen-mpi-counts.so")
    ini = CONFIGS[0][1]
    tallies = {}
    for steps in (2, 6):
        prefix = os.path.join(work, f"counts-s{group_size}-{steps}")
        train(build, ini, 4, steps, work, f"counts-{group_size}-{steps}",
              extra=["--group-size", str(group_size)], preload=preload, counts=prefix)
        tallies[steps] = [json.load(open(f"{prefix}.rank{r}.json")) for r in range(4)]
    rows = []
    for r in range(4):
        a, b = tallies[2][r], tallies[6][r]
        row = {}
        for name, t in b.items():
            calls = (t["calls"] - a.get(name, {}).get("calls", 0)) / 4
            nbytes = (t["bytes"] - a.get(name, {}).get("bytes", 0)) / 4
            if calls:
                row[name] = (calls, nbytes)
        rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--calibration", default="")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--counts", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="qgen-cost-validate-")

    if not args.skip_timing:
        print("time per step: measured (median of steps 2..N, median over repeats) vs predicted")
        print(f"  load average before: {open('/proc/loadavg').read().split()[0:3]}")
        print(f"  {'config':26s} {'ranks':>5s} {'measured':>10s} {'predicted':>10s} {'ratio':>6s}  runs (ms)")
        for label, ini, extra, q, ansatz, depth, features, shots in CONFIGS:
            prediction, _ = predicted(args.build, args.calibration, q, ansatz, depth, features, shots, [1, 2])
            for ranks in (1, 2):
                medians = []
                for k in range(args.repeats):
                    seconds = train(args.build, ini, ranks, args.steps, work, f"t-{q}-{shots}-{ranks}-{k}", extra=extra)
                    medians.append(statistics.median(seconds[2:]))
                measured = statistics.median(medians)
                p = prediction[ranks]
                print(f"  {label:26s} {ranks:5d} {measured*1e3:8.2f}ms {p*1e3:8.2f}ms {measured/p:6.2f}  "
                      + " ".join(f"{m*1e3:.2f}" for m in medians))
            sys.stdout.flush()
        # One group of 2 sharing a distributed state (docs/groups.md), 16 qubits exact.
        label, ini, extra, q, ansatz, depth, features, shots = CONFIGS[3]
        p = predicted_group(args.build, args.calibration, q, ansatz, depth, shots, 2, 2)
        medians = []
        for k in range(args.repeats):
            seconds = train(args.build, ini, 2, args.steps, work, f"g-{q}-{k}",
                            extra=extra + ("--group-size", "2"))
            medians.append(statistics.median(seconds[2:]))
        measured = statistics.median(medians)
        print(f"  {label + ', 1 x 2':26s} {2:5d} {measured*1e3:8.2f}ms {p*1e3:8.2f}ms {measured/p:6.2f}  "
              + " ".join(f"{m*1e3:.2f}" for m in medians))
        print(f"  load average after: {open('/proc/loadavg').read().split()[0:3]}")

    if args.counts:
        for group_size in (1, 2):
            rows = per_step_counts(args.build, work, group_size)
            print(f"\nMPI calls per rank and step, 4 ranks (oversubscribed), groups of {group_size}: "
                  "counted (libqgen-mpi-counts.so, (6 steps - 2 steps) / 4)")
            for r, row in enumerate(rows):
                text = ", ".join(f"{name.replace('MPI_', '')} {c:g} ({b:g} B)" for name, (c, b) in sorted(row.items()))
                print(f"  rank {r}: {text}")
            print("  predicted (qgen cost --group-size; exchanges on one node are shared-memory swaps, "
                  "two MPI_Barrier calls each):")
            for line in traffic(args.build, args.calibration, 4, group_size):
                print("  " + line)


if __name__ == "__main__":
    main()
