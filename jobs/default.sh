#!/usr/bin/env bash
# qgen's default job, outside Slurm (the README's run command calls this): the same command
# that jobs/default.sbatch runs under srun.
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
exec build/release/qgen circuit --config inputs/default.ini "$@"
