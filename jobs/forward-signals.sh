# Sourced by the job scripts (from the repository root): run_forwarding_signals CMD ... runs CMD
# (a launcher: mpiexec, srun) in its own process group and turns SIGTERM, SIGINT and SIGUSR1 sent
# to the calling shell into one SIGUSR1 for CMD, which forwards it to the ranks: they write their
# checkpoint and exit 3. Returns CMD's exit code.
#
# Why: Open MPI's mpiexec answers SIGTERM and SIGINT itself by aborting the job with exit code 1
# (after the ranks checkpointed), and forwards only SIGUSR1/SIGUSR2; a batch system's time-limit
# signal to the batch shell (Slurm's --signal=B:..., PBS's SIGTERM before the kill) reaches no
# rank unless the shell passes it on. In its own process group the launcher does not also hear
# the terminal's Ctrl-C.
run_forwarding_signals() {
  set -m
  "$@" &
  qgen_launcher_pid=$!
  trap 'qgen_interrupted=1; kill -USR1 "$qgen_launcher_pid" 2>/dev/null' TERM INT USR1
  local code
  while :; do
    qgen_interrupted=0
    wait "$qgen_launcher_pid"; code=$?
    [ "$qgen_interrupted" = 1 ] || break  # a wait cut short by the trap is repeated
  done
  trap - TERM INT USR1
  set +m
  return "$code"
}
