#!/usr/bin/env bash
# A real single-node Slurm (Debian's slurm-wlm and munge) as plain background daemons, for
# running jobs/*.sbatch in tests and CI (as root, without systemd):
#
#   eval "$(bash tools/slurm-local.sh start STATE_DIR)"   # prints: export SLURM_CONF=...
#   sbatch jobs/default.sbatch ...
#   bash tools/slurm-local.sh stop STATE_DIR
#
# Partitions debug (default), batch and regular, so site-style -p and -q values run unchanged.
# Credentials expire after 10 s instead of 120 s: a requeued job may start again that soon
# (released earlier, it is killed with "Job credential revoked").
set -euo pipefail

command=${1:-}
state=${2:-}
if [ -z "$command" ] || [ -z "$state" ]; then
  echo "usage: bash tools/slurm-local.sh start|stop STATE_DIR" >&2
  exit 2
fi

stop_daemon() {  # by the PID in its pid file, never by name
  local pid_file=$1
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pid_file"
}

case "$command" in
  start)
    for tool in slurmctld slurmd munged sbatch; do
      command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
        { echo "slurm-local: $tool not installed (apt-get install slurm-wlm munge)" >&2; exit 1; }
    done
    mkdir -p "$state"/{run,spool/slurmd,spool/slurmctld,log,munge}
    state=$(cd "$state" && pwd)
    chown munge:munge "$state/munge"
    chmod 0755 "$state/munge"  # clients need to reach the socket
    if [ ! -f /etc/munge/munge.key ]; then
      mungekey --create >/dev/null 2>&1 || /usr/sbin/mungekey --create
      chown munge:munge /etc/munge/munge.key
      chmod 0400 /etc/munge/munge.key
    fi
    runuser -u munge -- /usr/sbin/munged --socket="$state/munge/munge.socket" \
      --pid-file="$state/munge/munged.pid" --log-file="$state/munge/munged.log" \
      --seed-file="$state/munge/munged.seed"

    host=$(hostname -s)
    cat > "$state/slurm.conf" <<EOF
ClusterName=qgen-local
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket,cred_expire=10
CredType=cred/munge
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/affinity
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmctldPidFile=$state/run/slurmctld.pid
SlurmdPidFile=$state/run/slurmd.pid
SlurmdSpoolDir=$state/spool/slurmd
StateSaveLocation=$state/spool/slurmctld
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
PartitionName=batch Nodes=$host MaxTime=INFINITE State=UP
PartitionName=regular Nodes=$host MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF="$state/slurm.conf"
    /usr/sbin/slurmctld -f "$SLURM_CONF" -i
    /usr/sbin/slurmd -f "$SLURM_CONF"
    for _ in $(seq 100); do
      [ "$(sinfo -h -N -o %T 2>/dev/null | head -1)" = idle ] && break
      sleep 0.1
    done
    if [ "$(sinfo -h -N -o %T 2>/dev/null | head -1)" != idle ]; then
      echo "slurm-local: the node did not come up; see $state/log" >&2
      exit 1
    fi
    echo "export SLURM_CONF=$SLURM_CONF"
    ;;
  stop)
    state=$(cd "$state" && pwd)
    stop_daemon "$state/run/slurmd.pid"
    stop_daemon "$state/run/slurmctld.pid"
    stop_daemon "$state/munge/munged.pid"
    ;;
  *)
    echo "usage: bash tools/slurm-local.sh start|stop STATE_DIR" >&2
    exit 2
    ;;
esac
