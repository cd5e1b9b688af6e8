#!/usr/bin/env bash
# qgen's default job outside Slurm (the README's run command calls this): the 2-D QCBM of
# paper 000 on the built-in dijet data, on QGEN_RANKS ranks (default 2). jobs/default.sbatch
# runs the same under Slurm. QGEN_BIN names another build.
#
# Stopping it: SIGTERM, SIGINT (Ctrl-C) or SIGUSR1 to this script reaches the ranks as SIGUSR1;
# they write their checkpoint and the script exits with 3. (Open MPI's mpiexec answers SIGTERM
# and SIGINT itself by aborting the job with exit code 1, after the ranks have checkpointed,
# and forwards only SIGUSR1/SIGUSR2; so mpiexec runs in its own process group, away from the
# terminal's Ctrl-C, and hears SIGUSR1 from here.)
set -uo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
set -m
mpiexec -n "${QGEN_RANKS:-2}" "${QGEN_BIN:-build/release/qgen}" train --config inputs/default.ini "$@" &
pid=$!
trap 'interrupted=1; kill -USR1 "$pid" 2>/dev/null' TERM INT USR1
while :; do
  interrupted=0
  wait "$pid"; code=$?
  [ "$interrupted" = 1 ] || break
done
exit "$code"
