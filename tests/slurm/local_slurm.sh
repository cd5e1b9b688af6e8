# Sourced by the tests/slurm scripts after they set source_dir, qgen and work: a local
# single-node Slurm (tools/slurm-local.sh) in $work/slurm, stopped when the script exits, and the
# helpers the tests poll jobs with. Exits 77 (skipped) where Slurm is not installed, except
# under CI, where it must be.
if [ ! -x /usr/sbin/slurmctld ]; then
  [ "${CI:-}" = true ] && { echo "slurm-wlm is not installed (tools/install-deps.sh)"; exit 1; }
  echo "slurm-wlm is not installed: skipped"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
trap 'bash "$source_dir/tools/slurm-local.sh" stop "$work/slurm"' EXIT
slurm_env=$(bash "$source_dir/tools/slurm-local.sh" start "$work/slurm") || exit 1
eval "$slurm_env"  # export SLURM_CONF=...: never a system Slurm
export QGEN_BIN=$qgen OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cd "$source_dir"

field() { scontrol show job "$1" | grep -o "$2=[^ ]*" | head -1 | cut -d= -f2; }
wait_until() {  # wait_until SECONDS COMMAND...: polls every 0.2 s
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}
finished() { case "$(field "$1" JobState)" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL) return 0;; esac; return 1; }
fail() { echo "FAILED: $*"; for f in "$work"/*.out; do echo "--- $f"; cat "$f"; done; exit 1; }
