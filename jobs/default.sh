#!/usr/bin/env bash
# qgen's default job outside Slurm (the README's run command calls this): the 2-D QCBM of
# paper 000 on the built-in dijet data, on QGEN_RANKS ranks (default 2). jobs/default.sbatch
# runs the same under Slurm.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec mpiexec -n "${QGEN_RANKS:-2}" build/release/qgen train --config inputs/default.ini "$@"
