#!/usr/bin/env bash
# A full disk (issue 9): on a 400 KiB tmpfs, mounted for this test and removed at its end,
#   1. a run writes its checkpoint (fits), then a second run whose results (2 million samples)
#      do not fit: one clear error, exit 2 on every rank (no crash in MPI_Finalize), no results
#      file or temporary, and the first run's checkpoint untouched and restartable;
#   2. a log file on the full disk is an error (exit 2), not a silently truncated log.
# usage: full_disk.sh QGEN WORK_DIR. Exit 77 (skipped) where tmpfs cannot be mounted (not root),
# except under CI, where it must be.
set -u
qgen=$1 work=$2
mkdir -p "$work" && disk="$work/tiny-disk"
mkdir -p "$disk"
mountpoint -q "$disk" && umount "$disk"
if ! mount -t tmpfs -o size=400k tmpfs "$disk" 2>/dev/null; then
  [ "${CI:-}" = true ] && { echo "cannot mount a tmpfs for the full-disk test"; exit 1; }
  echo "cannot mount a tmpfs (not root?): skipped"; exit 77
fi
trap 'umount "$disk"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
run=(mpiexec -n 2 --oversubscribe "$qgen" train data.generate=dijet data.events=20000
     encoding.features=pT,mass circuit.qubits=4 circuit.depth=1 train.shots=500 --quiet)

"${run[@]}" train.steps=4 samples=10 results="$disk/small.h5" checkpoint="$disk/ckpt.h5" > /dev/null ||
  { echo "the run that fits failed"; exit 1; }
before=$(md5sum < "$disk/ckpt.h5")
out=$("${run[@]}" train.steps=4 samples=2000000 results="$disk/big.h5" checkpoint="$disk/ckpt.h5" 2>&1); code=$?
echo "$out" | grep -v '^ '
[ "$code" -eq 2 ] || { echo "results on a full disk: exit $code, expected 2"; exit 1; }
grep -q "qgen train: error: cannot write '$disk/big.h5': No space left on device" <<<"$out" ||
  { echo "no clear message"; exit 1; }
grep -q -i "segmentation\|signal 11" <<<"$out" && { echo "a rank crashed"; exit 1; }
ls -a "$disk" | grep -q "big.h5" && { echo "a results file or temporary was left"; exit 1; }
# The checkpoint was written again at the end of the second run (it fits) or left as it was:
# either way it is whole and restarts.
"${run[@]}" train.steps=6 samples=10 results="$disk/small2.h5" checkpoint="$disk/ckpt.h5" \
  --restart "$disk/ckpt.h5" > /dev/null || { echo "the checkpoint does not restart"; exit 1; }
echo "results on a full disk: exit 2, one message, checkpoint intact ($before)"

# 2. The log: fill the disk, then log to it.
dd if=/dev/zero of="$disk/filler" bs=4k 2>/dev/null
out=$("${run[@]}" train.steps=4 samples=10 results="$work/log-results.h5" checkpoint="$work/log-ckpt.h5" \
      log="$disk/run.log" 2>&1); code=$?
[ "$code" -eq 2 ] || { echo "log on a full disk: exit $code, expected 2"; echo "$out"; exit 1; }
grep -q "cannot write the log file '$disk/run.log'" <<<"$out" || { echo "no log message"; echo "$out"; exit 1; }
echo "a log on a full disk: exit 2, reported"
