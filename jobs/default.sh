#!/usr/bin/env bash
# qgen's default job outside Slurm (the README's run command calls this): the 2-D QCBM of
# paper 000 on the built-in dijet data, on QGEN_RANKS ranks (default 2). jobs/default.sbatch
# runs the same under Slurm. QGEN_BIN names another build.
#
# Stopping it: SIGTERM, SIGINT (Ctrl-C) or SIGUSR1 to this script reaches the ranks as SIGUSR1;
# they write their checkpoint and the script exits with 3 (jobs/forward-signals.sh says why).
set -uo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
source jobs/forward-signals.sh
run_forwarding_signals mpiexec -n "${QGEN_RANKS:-2}" "${QGEN_BIN:-build/release/qgen}" train --config inputs/default.ini "$@"
