#!/usr/bin/python3
"""Writes a parameter list for jobs/array.sbatch: one line of qgen train options per run, the
Cartesian product of the values given (paper 000's grid by default: ansatz x initial state x
layers x seed, with each ansatz's own layer counts, Fig. 6).

    tools/param-grid.py [--ansatz 1,2] [--initial-state zero,bell] [--layers-1 1,3,6,9]
                        [--layers-2 2,6,12,18] [--seeds 1] [--extra 'train.steps=300'] > runs.list

Prints the number of runs on stderr: submit with sbatch --array=0-(runs - 1).
"""
import argparse
import itertools
import sys


def values(text, kind=str):
    try:
        out = [kind(v) for v in text.split(",") if v.strip()]
    except ValueError:
        sys.exit(f"param-grid: '{text}' is not a comma-separated list of {kind.__name__} values")
    if not out:
        sys.exit("param-grid: an empty list")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ansatz", default="1,2")
    p.add_argument("--initial-state", default="zero,bell")
    p.add_argument("--layers-1", default="1,3,6,9", help="depths of ansatz 1 (paper Fig. 6)")
    p.add_argument("--layers-2", default="2,6,12,18", help="depths of ansatz 2 (paper Fig. 6)")
    p.add_argument("--seeds", default="1")
    p.add_argument("--extra", default="", help="options added to every line")
    a = p.parse_args()
    lines = []
    for ansatz in values(a.ansatz, int):
        if ansatz not in (1, 2):
            sys.exit(f"param-grid: ansatz {ansatz} does not exist (1 or 2)")
        depths = values(a.layers_1 if ansatz == 1 else a.layers_2, int)
        for state, depth, seed in itertools.product(values(a.initial_state), depths, values(a.seeds, int)):
            words = [f"circuit.ansatz={ansatz}", f"circuit.initial-state={state}",
                     f"circuit.depth={depth}", f"train.seed={seed}"]
            lines.append(" ".join(words + a.extra.split()))
    print(f"# {len(lines)} runs: sbatch --array=0-{len(lines) - 1} jobs/array.sbatch LIST")
    print("\n".join(lines))
    print(f"param-grid: {len(lines)} runs", file=sys.stderr)


if __name__ == "__main__":
    main()
