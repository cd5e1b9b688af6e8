#!/usr/bin/env bash
# The training benchmarks of issue 4 on this machine, after building (bash tools/setup.sh run):
#   - one parameter-shift step (20000 shots) on 1 and 2 ranks and the parallel efficiency
#     (qgen-bench-train): strong scaling of paper 000's 3-D ansatz 2 (Q=12, d=12) and 2-D ansatz 1
#     (Q=8, d=6), weak scaling with the depth growing with the ranks;
#   - a full 300-step paper run of that configuration on 2 ranks, with shots and with the
#     adjoint gradient and exact probabilities (wall time of qgen train, data and results
#     files included).
set -euo pipefail
cd "$(dirname "$0")/.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ranks=${QGEN_RANKS:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mpiexec -n "$ranks" build/release/tests/bench/qgen-bench-train "${1:-20}" "${2:-5}"

wall() {  # seconds taken by a command
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
config=inputs/qcbm-3d-a2-zero-20000.ini
shots=$(wall mpiexec -n "$ranks" build/release/qgen train --config "$config" --quiet \
  results="$work/shots.h5" checkpoint="$work/shots-ckpt.h5")
adjoint=$(wall mpiexec -n "$ranks" build/release/qgen train --config "$config" --quiet \
  train.exact=true train.gradient=adjoint results="$work/adjoint.h5" checkpoint="$work/adjoint-ckpt.h5")
printf '\n== full 300-step run of %s on %s ranks (wall, qgen train end to end) ==\n' "$config" "$ranks"
printf '  parameter shift, 20000 shots     %6.1f s   (target <= 60 s)\n' "$shots"
printf '  adjoint, exact probabilities     %6.1f s   (target <= 5 s)\n' "$adjoint"
/usr/bin/python3 - "$work" <<'PY'
import sys, h5py
for name in ("shots", "adjoint"):
    with h5py.File(f"{sys.argv[1]}/{name}.h5") as f:
        print(f"  {name:8s} final loss {f['history/loss'][-1]:.4e}, JS {f['metrics/js'][()]:.4e}, "
              f"marginal MAE D {f['metrics/mae'][()]:.4e}")
PY
